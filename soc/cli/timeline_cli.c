/*
 * timeline_cli: the run options that record a timeline and stream it to a file:
 * `--timeline FILE` (".gz": gzip), `--timeline-window START:END` and
 * `--timeline-detail frames|tasks|kernels|sm` (soc/run/timeline.h, viz/export.h). Shared
 * by `orinsim run` and `orinsim bench replay`.
 *
 * The default detail, kernels, keeps one simulated minute of traces/camera-detector.yaml
 * under 20 MiB (docs/viewer.md). Below sm detail the DRAM counter is the bus's average
 * over each period of the power sampler (--power-sample, 10 ms by default) rather than
 * one sample per change, which alone would be some 50 MiB a minute.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/cli/commands.h"
#include "soc/io/units.h"

void cli_timeline_init(cli_timeline_t *o)
{
    memset(o, 0, sizeof *o);
    o->detail = TL_DETAIL_KERNELS;
    o->win_end = SIM_TIME_MAX;
}

static int opt_error(const char *fmt, const char *arg)
{
    diag_usage("see `orinsim --help`", fmt, arg);
    return -1;
}

/* "START:END" with units, END after START; a bare 0 and an empty END (to the end) allowed. */
static int parse_window(const char *s, sim_time_t *a, sim_time_t *b)
{
    char buf[128], why[128], *colon;
    uint64_t x, y;
    if (strlen(s) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", s);
    if ((colon = strchr(buf, ':')) == NULL)
        return -1;
    *colon = '\0';
    if (strcmp(buf, "0") == 0)
        x = 0;
    else if (units_duration_ps(buf, &x, why, sizeof why) != 0)
        return -1;
    if (colon[1] == '\0')
        y = SIM_TIME_MAX;
    else if (units_duration_ps(colon + 1, &y, why, sizeof why) != 0 || y <= x)
        return -1;
    *a = x;
    *b = y;
    return 0;
}

int cli_timeline_option(cli_timeline_t *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "--timeline") != 0 && strcmp(a, "--timeline-window") != 0 &&
        strcmp(a, "--timeline-detail") != 0)
        return 0;
    if (*i + 1 >= argc)
        return opt_error("%s needs a value", a);
    v = argv[++*i];
    if (strcmp(a, "--timeline") == 0) {
        o->path = v;
    } else if (strcmp(a, "--timeline-window") == 0) {
        if (parse_window(v, &o->win_start, &o->win_end) != 0)
            return opt_error("--timeline-window expects START:END, durations with units and END "
                             "after START (or empty: to the end), e.g. '10s:20s', got '%s'", v);
        o->filtered = 1;
    } else {
        if (timeline_parse_detail(v, &o->detail) != 0)
            return opt_error("--timeline-detail expects frames, tasks, kernels or sm, got '%s'",
                             v);
        o->filtered = 1;
    }
    return 1;
}

int cli_timeline_check(const cli_timeline_t *o)
{
    if (o->filtered && o->path == NULL)
        return diag_usage("see `orinsim --help`", "%s",
                          "--timeline-window and --timeline-detail need --timeline FILE");
    return EXIT_OK;
}

int cli_timeline_start(const cli_timeline_t *o, double sample_s, const char *title,
                       timeline_t **tl, viz_export_t **x)
{
    diag_t d;
    *tl = NULL;
    *x = NULL;
    if (o->path == NULL)
        return EXIT_OK;
    if ((*tl = timeline_new()) == NULL)
        return EXIT_INTERNAL;
    (*tl)->detail = o->detail;
    (*tl)->win_start = o->win_start;
    (*tl)->win_end = o->win_end;
    if (o->detail < TL_DETAIL_SM)
        (*tl)->bin_ps = (sim_time_t)(sample_s * 1e12 + 0.5);
    diag_clear(&d);
    if (viz_export_open(x, o->path, *tl, title, &d) != 0) {
        diag_print(&d);
        timeline_free(*tl);
        *tl = NULL;
        return diag_exit_code(&d) == EXIT_INTERNAL ? EXIT_INTERNAL : EXIT_OUTPUT;
    }
    return EXIT_OK;
}

int cli_timeline_finish(timeline_t *tl, viz_export_t *x, int ran)
{
    int rc = EXIT_OK;
    diag_t d;
    if (x && !ran) {
        viz_export_discard(x);
    } else if (x) {
        diag_clear(&d);
        if (viz_export_close(x, &d) != 0) {
            diag_print(&d);
            rc = strstr(d.msg, "internal error") ? EXIT_INTERNAL : EXIT_OUTPUT;
        }
    }
    timeline_free(tl);
    return rc;
}
