/*
 * runtime: runtimes read from configs/runtimes/runtimes.yaml. See runtime.h.
 *
 * The file is a mapping of runtime names to {host_call_cycles}; every number is checked
 * for range, every key against the list, with file:line:column.
 */
#include "soc/sku/runtime.h"

#include <stdio.h>
#include <string.h>

#include "soc/io/ydoc.h"
#include "soc/sku/sku.h"

static const char *const KEYS[] = {"host_call_cycles", NULL};

enum { MAX_HOST_CYCLES = 1000000000 };   /* 1 G cycles: half a second at 2 GHz */

int runtime_load(const char *name, const char *file, int line, int col, runtime_t *out,
                 diag_t *d)
{
    char path[1024], names[512];
    ydoc_t y;
    yaml_node_t *root, *m, *v;
    int rc = 0;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name[0] ? name : "tensorrt");
    if (name[0] == '\0')
        return 0;
    snprintf(path, sizeof path, "%s/runtimes/runtimes.yaml", sku_config_dir());
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    root = ydoc_root(&y);
    if (ydoc_expect_map(&y, root, "runtimes", d) != 0) {
        ydoc_free(&y);
        return DIAG_ERR;
    }
    m = ydoc_entry(&y, root, name, names, sizeof names);
    if (m == NULL) {
        rc = diag_error(d, file, line, col, "unknown runtime '%s' (expected one of: %s; %s)",
                        name, names, path);
    } else if (ydoc_expect_map(&y, m, "a runtime", d) ||
               ydoc_check_keys(&y, m, KEYS, "a runtime", d)) {
        rc = DIAG_ERR;
    } else if ((v = ydoc_get(&y, m, "host_call_cycles")) &&
               ydoc_double(&y, v, "host_call_cycles", 0, MAX_HOST_CYCLES,
                           &out->host_call_cycles, d)) {
        rc = DIAG_ERR;
    }
    ydoc_free(&y);
    return rc;
}
