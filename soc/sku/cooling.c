/*
 * cooling: presets read from configs/cooling/presets.yaml. See cooling.h.
 *
 * The file is a mapping of preset names to {zone_r_scale, enclosure_r, enclosure_c};
 * every number is checked for range, every key against the list, with file:line:column.
 */
#include "soc/sku/cooling.h"

#include <stdio.h>
#include <string.h>

#include "soc/io/ydoc.h"
#include "soc/sku/sku.h"

static const char *const KEYS[] = {"zone_r_scale", "enclosure_r", "enclosure_c", NULL};

int cooling_load(const char *name, cooling_t *out, diag_t *d)
{
    char path[1024], names[512];
    ydoc_t y;
    yaml_node_t *root, *m, *v;
    int rc = 0;
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/cooling/presets.yaml", sku_config_dir());
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    root = ydoc_root(&y);
    if (ydoc_expect_map(&y, root, "cooling presets", d) != 0) {
        ydoc_free(&y);
        return DIAG_ERR;
    }
    m = ydoc_entry(&y, root, name, names, sizeof names);
    if (m == NULL) {
        rc = diag_error(d, NULL, 0, 0, "unknown cooling preset '%s' (expected one of: %s; "
                        "%s)", name, names, path);
    } else if (ydoc_expect_map(&y, m, "a cooling preset", d) ||
               ydoc_check_keys(&y, m, KEYS, "a cooling preset", d)) {
        rc = DIAG_ERR;
    } else {
        snprintf(out->name, sizeof out->name, "%s", name);
        out->zone_r_scale = 1.0;
        if ((v = ydoc_get(&y, m, "zone_r_scale")) &&
            ydoc_double(&y, v, "zone_r_scale", 0.01, 100, &out->zone_r_scale, d))
            rc = DIAG_ERR;
        else if ((v = ydoc_get(&y, m, "enclosure_r")) &&
                 ydoc_double(&y, v, "enclosure_r (K/W)", 0, 1000, &out->enclosure_r_kpw, d))
            rc = DIAG_ERR;
        else if ((v = ydoc_get(&y, m, "enclosure_c")) &&
                 ydoc_double(&y, v, "enclosure_c (J/K)", 1e-3, 1e7, &out->enclosure_c_jpk, d))
            rc = DIAG_ERR;
        else if (out->enclosure_r_kpw > 0 && out->enclosure_c_jpk <= 0)
            rc = ydoc_error(&y, m, d, "cooling preset '%s': an enclosure_r needs an "
                            "enclosure_c (J/K)", name);
    }
    ydoc_free(&y);
    return rc;
}

void cooling_apply(const cooling_t *c, thermal_spec_t *spec)
{
    for (int z = 0; z < THERMAL_ZONES; z++)
        spec->r_kpw[z] *= c->zone_r_scale;
    spec->enclosure_r_kpw = c->enclosure_r_kpw;
    spec->enclosure_c_jpk = c->enclosure_c_jpk;
}
