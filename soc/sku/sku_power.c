/*
 * sku_power: reading the power and thermal model of a SKU file. See sku_power.h.
 *
 * The sections are optional: a SKU without them simply has no power model (runs still
 * work; power reports and `orinsim sweep` say it is missing). In a file that gives them
 * without inheriting a power model, every field is required; a child that inherits one may
 * override any field. Rails are named by the parts that sit on them. `rails:` lists them
 * in the order the module's power monitor (tegrastats) prints them; without it they are
 * numbered in the order parts first name them (gpu, cpu, dla, pva, soc, dram, sys).
 * `input_rail:` names a rail that measures the module's whole input (VDD_IN on the Orin
 * NX and Nano): it reads the sum of every part, and parts with no rail of their own name
 * it. Engines a module does not have (the Orin Nano's DLA and PVA) may leave their block
 * out.
 */
#include "soc/sku/sku_power.h"

#include <string.h>

#include "soc/io/units.h"

static const char *const POWER_KEYS[] = {"leak_ref", "leak_per_c", "gpu", "cpu", "dla", "pva",
                                         "soc", "dram", "sys", "dvfs", "rails", "input_rail",
                                         NULL};
static const char *const ENGINE_KEYS[] = {"rail", "zone", "c_eff_nf", "idle_activity", "leak",
                                          "v_min", "v_max", "knee_clock", "min_clock",
                                          "opp_step", NULL};
static const char *const SOC_KEYS[] = {"rail", "zone", "idle", "pj_per_byte", NULL};
static const char *const DRAM_KEYS[] = {"rail", "idle", "pj_per_byte", "min_clock", "opp_step",
                                        NULL};
static const char *const SYS_KEYS[] = {"rail", "idle", NULL};
static const char *const DVFS_KEYS[] = {"period", "up_threshold", "down_differential", NULL};
static const char *const THERMAL_KEYS[] = {"gpu", "cpu", "cv", "soc", "trip", "hysteresis",
                                           "shutdown", "poll", NULL};
static const char *const ZONE_KEYS[] = {"r", "c", NULL};

typedef struct prd {
    ydoc_t *y;
    diag_t *d;
    int all;                      /* every field required */
} prd_t;

static yaml_node_t *get(prd_t *r, yaml_node_t *map, const char *key, const char *what, int *err)
{
    yaml_node_t *n = ydoc_get(r->y, map, key);
    *err = 0;
    if (n == NULL && r->all) {
        ydoc_require(r->y, map, key, what, r->d);
        *err = 1;
    }
    return n;
}

static int num(prd_t *r, yaml_node_t *map, const char *key, const char *what, double min,
               double max, double *out)
{
    int err;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_double(r->y, n, key, min, max, out, r->d) : 0;
}

static int watts(prd_t *r, yaml_node_t *map, const char *key, const char *what, double *out)
{
    int err;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_power(r->y, n, key, 0, 1000, out, r->d) : 0;
}

static int freq(prd_t *r, yaml_node_t *map, const char *key, const char *what, double *out)
{
    int err;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_freq(r->y, n, key, 1e6, 5e9, out, r->d) : 0;
}

static int celsius(prd_t *r, yaml_node_t *map, const char *key, const char *what, double *out)
{
    int err;
    char why[256];
    double v;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    if (ydoc_expect_scalar(r->y, n, key, r->d) != 0)
        return DIAG_ERR;
    if (units_temp_c(ydoc_str(n), &v, why, sizeof why) != 0)
        return ydoc_error(r->y, n, r->d, "%s: %s", key, why);
    if (v < -273.15 || v > 300)
        return ydoc_error(r->y, n, r->d, "%s = %s is out of range (expected -273.15 C to 300 C)",
                          key, ydoc_str(n));
    *out = v;
    return 0;
}

static int seconds(prd_t *r, yaml_node_t *map, const char *key, const char *what, double *out)
{
    int err;
    uint64_t ps;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    if (ydoc_duration(r->y, n, key, 1000000ull, 3600ull * 1000000000000ull, &ps, r->d) != 0)
        return DIAG_ERR;
    *out = (double)ps * 1e-12;
    return 0;
}

static int name(prd_t *r, yaml_node_t *map, const char *key, const char *what, char *out,
                size_t len)
{
    int err;
    yaml_node_t *n = get(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_string(r->y, n, key, out, len, r->d) : 0;
}

/* A block: NULL when absent (an error when every field is required, unless optional). */
static int block(prd_t *r, yaml_node_t *map, const char *key, const char *const *keys,
                 const char *what, int optional, yaml_node_t **out)
{
    int err;
    prd_t rr = *r;
    if (optional)
        rr.all = 0;
    *out = get(&rr, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    if (*out == NULL)
        return 0;
    return ydoc_expect_map(r->y, *out, key, r->d) || ydoc_check_keys(r->y, *out, keys, key, r->d)
               ? DIAG_ERR
               : 0;
}

static int parse_engine(prd_t *r, yaml_node_t *power, const char *key, int optional,
                        power_engine_t *e, sku_power_names_t *nm, power_part_t part)
{
    yaml_node_t *n;
    char what[32];
    double c_nf = e->c_eff * 1e9;
    prd_t rr = *r;
    snprintf(what, sizeof what, "power.%s", key);
    if (block(r, power, key, ENGINE_KEYS, "power section", optional, &n) != 0)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    if (optional && e->c_eff == 0)
        rr.all = 1;               /* a block given for the first time is complete */
    if (name(&rr, n, "rail", what, nm->rail[part], POWER_RAIL_LEN) ||
        name(&rr, n, "zone", what, nm->zone[part], sizeof nm->zone[part]) ||
        num(&rr, n, "c_eff_nf", what, 1e-6, 1e3, &c_nf) ||
        num(&rr, n, "idle_activity", what, 0, 1, &e->idle_activity) ||
        watts(&rr, n, "leak", what, &e->leak_w) ||
        num(&rr, n, "v_min", what, 0.1, 2.0, &e->vf.v_min) ||
        num(&rr, n, "v_max", what, 0.1, 2.0, &e->vf.v_max) ||
        freq(&rr, n, "knee_clock", what, &e->vf.f_knee_hz) ||
        freq(&rr, n, "min_clock", what, &e->f_min_hz) ||
        freq(&rr, n, "opp_step", what, &e->opp_step_hz))
        return DIAG_ERR;
    e->c_eff = c_nf * 1e-9;
    if (part == PWP_DLA0)
        memcpy(nm->rail[PWP_DLA1], nm->rail[PWP_DLA0], POWER_RAIL_LEN);
    if (part == PWP_DLA0)
        memcpy(nm->zone[PWP_DLA1], nm->zone[PWP_DLA0], sizeof nm->zone[0]);
    return 0;
}

int sku_power_parse(ydoc_t *y, yaml_node_t *root, power_spec_t *p, sku_power_names_t *nm,
                    int file, diag_t *d)
{
    yaml_node_t *pw = ydoc_get(y, root, "power"), *th = ydoc_get(y, root, "thermal"), *n;
    prd_t r = {y, d, !p->present};
    double pj;

    if (pw == NULL && th == NULL)
        return 0;
    if (r.all && (pw == NULL || th == NULL))
        return ydoc_error(y, pw ? pw : th, d, "a power model needs both a power and a thermal "
                          "section (docs/power.md)");
    if (pw) {
        if (ydoc_expect_map(y, pw, "power section", d) ||
            ydoc_check_keys(y, pw, POWER_KEYS, "power section", d))
            return DIAG_ERR;
        nm->line = ydoc_line(pw);
        nm->col = ydoc_col(pw);
        nm->file = file;
        if (celsius(&r, pw, "leak_ref", "power section", &p->leak_ref_c) ||
            num(&r, pw, "leak_per_c", "power section", 0, 1, &p->leak_per_c) ||
            parse_engine(&r, pw, "gpu", 0, &p->gpu, nm, PWP_GPU) ||
            parse_engine(&r, pw, "cpu", 0, &p->cpu, nm, PWP_CPU) ||
            parse_engine(&r, pw, "dla", 1, &p->dla, nm, PWP_DLA0) ||
            parse_engine(&r, pw, "pva", 1, &p->pva, nm, PWP_PVA))
            return DIAG_ERR;
        if (block(&r, pw, "soc", SOC_KEYS, "power section", 0, &n))
            return DIAG_ERR;
        pj = p->soc_j_per_byte * 1e12;
        if (n && (name(&r, n, "rail", "power.soc", nm->rail[PWP_SOC], POWER_RAIL_LEN) ||
                  name(&r, n, "zone", "power.soc", nm->zone[PWP_SOC], sizeof nm->zone[0]) ||
                  watts(&r, n, "idle", "power.soc", &p->soc_w) ||
                  num(&r, n, "pj_per_byte", "power.soc", 0, 1e4, &pj)))
            return DIAG_ERR;
        p->soc_j_per_byte = pj * 1e-12;
        if (block(&r, pw, "dram", DRAM_KEYS, "power section", 0, &n))
            return DIAG_ERR;
        pj = p->dram_j_per_byte * 1e12;
        if (n && (name(&r, n, "rail", "power.dram", nm->rail[PWP_DRAM], POWER_RAIL_LEN) ||
                  watts(&r, n, "idle", "power.dram", &p->dram_w) ||
                  num(&r, n, "pj_per_byte", "power.dram", 0, 1e4, &pj) ||
                  freq(&r, n, "min_clock", "power.dram", &p->emc_f_min_hz) ||
                  freq(&r, n, "opp_step", "power.dram", &p->emc_opp_step_hz)))
            return DIAG_ERR;
        p->dram_j_per_byte = pj * 1e-12;
        if (block(&r, pw, "sys", SYS_KEYS, "power section", 0, &n))
            return DIAG_ERR;
        if (n && (name(&r, n, "rail", "power.sys", nm->rail[PWP_SYS], POWER_RAIL_LEN) ||
                  watts(&r, n, "idle", "power.sys", &p->sys_w)))
            return DIAG_ERR;
        if ((n = ydoc_get(y, pw, "rails")) != NULL) {
            size_t len = ydoc_seq_len(n);
            if (ydoc_expect_seq(y, n, "power.rails", d))
                return DIAG_ERR;
            if (len < 1 || len > POWER_MAX_RAILS)
                return ydoc_error(y, n, d, "power.rails: expected 1 to %d rail names",
                                  POWER_MAX_RAILS);
            for (size_t i = 0; i < len; i++)
                if (ydoc_string(y, ydoc_seq_at(y, n, i), "power.rails", nm->order[i],
                                POWER_RAIL_LEN, d))
                    return DIAG_ERR;
            nm->norder = (int)len;
        }
        if ((n = ydoc_get(y, pw, "input_rail")) != NULL &&
            ydoc_string(y, n, "power.input_rail", nm->input, POWER_RAIL_LEN, d))
            return DIAG_ERR;
        if (block(&r, pw, "dvfs", DVFS_KEYS, "power section", 0, &n))
            return DIAG_ERR;
        if (n && (seconds(&r, n, "period", "power.dvfs", &p->dvfs_period_s) ||
                  num(&r, n, "up_threshold", "power.dvfs", 0.05, 1, &p->dvfs_up_threshold) ||
                  num(&r, n, "down_differential", "power.dvfs", 0, 0.5,
                      &p->dvfs_down_differential)))
            return DIAG_ERR;
    }
    if (th) {
        if (ydoc_expect_map(y, th, "thermal section", d) ||
            ydoc_check_keys(y, th, THERMAL_KEYS, "thermal section", d))
            return DIAG_ERR;
        for (int z = 0; z < THERMAL_ZONES; z++) {
            char what[32];
            snprintf(what, sizeof what, "thermal.%s", thermal_zone_name(z));
            if (block(&r, th, thermal_zone_name(z), ZONE_KEYS, "thermal section", 0, &n))
                return DIAG_ERR;
            if (n && (num(&r, n, "r", what, 1e-3, 1e3, &p->thermal.r_kpw[z]) ||
                      num(&r, n, "c", what, 1e-3, 1e6, &p->thermal.c_jpk[z])))
                return DIAG_ERR;
        }
        if (celsius(&r, th, "trip", "thermal section", &p->thermal.trip_c) ||
            celsius(&r, th, "hysteresis", "thermal section", &p->thermal.hysteresis_c) ||
            celsius(&r, th, "shutdown", "thermal section", &p->thermal.shutdown_c) ||
            seconds(&r, th, "poll", "thermal section", &p->thermal.poll_s))
            return DIAG_ERR;
    }
    p->present = 1;
    return 0;
}

static int find_rail(power_spec_t *p, const char *rail)
{
    for (int i = 0; i < p->nrails; i++)
        if (strcmp(p->rails[i], rail) == 0)
            return i;
    if (p->nrails == POWER_MAX_RAILS)
        return -1;
    snprintf(p->rails[p->nrails], POWER_RAIL_LEN, "%s", rail);
    return p->nrails++;
}

static int in_order(const sku_power_names_t *nm, const char *rail)
{
    for (int i = 0; i < nm->norder; i++)
        if (strcmp(nm->order[i], rail) == 0)
            return 1;
    return 0;
}

static int find_zone(const char *zone)
{
    for (int z = 0; z < THERMAL_ZONES; z++)
        if (strcmp(thermal_zone_name(z), zone) == 0)
            return z;
    return -1;
}

int sku_power_finish(power_spec_t *p, const sku_power_names_t *nm, const char *path,
                     double gpu_hz, double cpu_hz, double dla_hz, double pva_hz, double emc_hz,
                     diag_t *d)
{
    power_engine_t *eng[PWP_COUNT] = {&p->gpu, &p->cpu, &p->dla, NULL, &p->pva, NULL, NULL,
                                      NULL};
    const double top[PWP_COUNT] = {gpu_hz, cpu_hz, dla_hz, 0, pva_hz, 0, 0, 0};
    int *rail[PWP_COUNT] = {&p->gpu.rail, &p->cpu.rail, &p->dla.rail, NULL, &p->pva.rail,
                            &p->soc_rail, &p->dram_rail, &p->sys_rail};
    int *zone[PWP_COUNT] = {&p->gpu.zone, &p->cpu.zone, &p->dla.zone, NULL, &p->pva.zone,
                            &p->soc_zone, NULL, NULL};

    int used[POWER_MAX_RAILS] = {0};

    if (!p->present)
        return 0;
    p->nrails = 0;
    p->has_input_rail = 0;
    for (int i = 0; i < nm->norder; i++)
        if (find_rail(p, nm->order[i]) != i)
            return diag_error(d, path, nm->line, nm->col, "power.rails: '%s' is listed twice",
                              nm->order[i]);
    if (nm->input[0]) {
        if (nm->norder > 0 && !in_order(nm, nm->input))
            return diag_error(d, path, nm->line, nm->col, "power.input_rail '%s' is not in "
                              "power.rails", nm->input);
        if ((p->input_rail = find_rail(p, nm->input)) < 0)
            return diag_error(d, path, nm->line, nm->col, "more than %d power rails",
                              POWER_MAX_RAILS);
        p->has_input_rail = 1;
    }
    for (int k = 0; k < PWP_COUNT; k++) {
        int absent = eng[k] && eng[k]->c_eff == 0;
        if (rail[k] == NULL)
            continue;
        if (absent) {
            if (top[k] > 0)
                return diag_error(d, path, nm->line, nm->col, "power.%s is missing: the module "
                                  "has one", k == PWP_DLA0 ? "dla" : power_part_name((power_part_t)k));
            *rail[k] = 0;
            *zone[k] = 0;
            continue;
        }
        if (nm->norder > 0 && !in_order(nm, nm->rail[k]))
            return diag_error(d, path, nm->line, nm->col, "power.%s: rail '%s' is not in "
                              "power.rails", k == PWP_DLA0 ? "dla"
                              : power_part_name((power_part_t)k), nm->rail[k]);
        if ((*rail[k] = find_rail(p, nm->rail[k])) < 0)
            return diag_error(d, path, nm->line, nm->col, "more than %d power rails",
                              POWER_MAX_RAILS);
        used[*rail[k]] = 1;
        if (zone[k] && (*zone[k] = find_zone(nm->zone[k])) < 0)
            return diag_error(d, path, nm->line, nm->col, "power.%s: unknown thermal zone "
                              "'%s' (expected one of: gpu, cpu, cv, soc)",
                              power_part_name((power_part_t)k), nm->zone[k]);
        if (eng[k] && top[k] > 0) {   /* an engine the module lacks keeps its block unused */
            eng[k]->vf.f_max_hz = top[k];
            if (eng[k]->vf.v_max < eng[k]->vf.v_min || eng[k]->vf.f_knee_hz > top[k] ||
                eng[k]->f_min_hz > top[k] || eng[k]->opp_step_hz <= 0)
                return diag_error(d, path, nm->line, nm->col, "power.%s: expected v_min <= "
                                  "v_max, knee_clock and min_clock at most the engine's "
                                  "maximum clock (%g MHz) and opp_step > 0",
                                  k == PWP_DLA0 ? "dla" : power_part_name((power_part_t)k),
                                  top[k] / 1e6);
        }
    }
    for (int i = 0; i < p->nrails; i++)
        if (!used[i] && !(p->has_input_rail && i == p->input_rail))
            return diag_error(d, path, nm->line, nm->col, "power.rails: no part is on '%s'",
                              p->rails[i]);
    p->emc_max_hz = emc_hz;
    if (p->emc_f_min_hz > emc_hz || p->emc_opp_step_hz <= 0)
        return diag_error(d, path, nm->line, nm->col, "power.dram: min_clock must be at most "
                          "the EMC maximum (%g MHz) and opp_step > 0", emc_hz / 1e6);
    if (p->thermal.shutdown_c <= p->thermal.trip_c || p->thermal.hysteresis_c < 0)
        return diag_error(d, path, nm->line, nm->col, "thermal: shutdown must be above trip "
                          "and hysteresis >= 0");
    if (p->dvfs_down_differential >= p->dvfs_up_threshold)
        return diag_error(d, path, nm->line, nm->col, "power.dvfs: down_differential must be "
                          "below up_threshold");
    return 0;
}
