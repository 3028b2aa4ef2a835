/*
 * view: `orinsim view` (see view.h). A session holds what one pane shows: the trace, the
 * module and power mode, and the timeline of their run. Switching module or mode
 * re-simulates in-process and swaps the timeline under the same view (time range, search,
 * collapsed groups), so two modes can be compared by flipping between them; --compare
 * shows a second module in a lower pane, on the same time axis.
 *
 * The window shows the canvas (viz/canvas.h) through the window surface, redrawn only
 * after input. Headless (--screenshot) needs no video driver at all: SDL2_ttf renders the
 * font without one.
 */
#include "viz/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "sim/diag.h"
#include "soc/io/out.h"
#include "soc/run/power_run.h"
#include "soc/run/replay.h"
#include "soc/run/vary.h"
#include "soc/sku/sku.h"
#include "soc/run/timeline.h"
#include "soc/trace/trace.h"
#include "soc/io/units.h"
#include "viz/bench.h"
#include "viz/canvas.h"
#include "viz/draw.h"
#include "viz/font.h"
#include "viz/image.h"

#define MAX_SKUS 32
#define FONT_POINTS 10

typedef struct session {
    trace_t *trace;           /* shared by the panes */
    char skus[MAX_SKUS][SKU_NAME_LEN];
    int nskus, sku_i;         /* sku_i = -1: a SKU file given by path */
    char sku_arg[512];
    sku_t *sku;
    soc_config_t cfg;
    int64_t frames;
    const power_options_t *power;   /* the run options of the replay */
    int seeded;
    uint64_t seed;
    timeline_t *tl;
    double mean_latency_ps;
    int64_t misses;
    draw_t draw;
    int drawn;                /* draw initialised */
} session_t;

typedef struct options {
    const char *sku, *mode, *trace, *font, *screenshot, *shots, *search, *compare;
    int w, h, details, bench, json;
    int64_t frames;
    long bench_slices;
    int bench_frames;
    double range0, range1, sel0, sel1;
    int has_range, has_sel;
    char collapse[16];
    power_options_t power;
    int seeded;
    uint64_t seed;
} options_t;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim view [options] TRACE.yaml\n"
            "       orinsim view --bench [--slices N] [--bench-frames N] [--size WxH] [--json]\n"
            "\n"
            "Replays the trace and shows its timeline: one lane per engine, counters below.\n"
            "\n"
            "options:\n"
            "  --sku NAME|FILE      module (default agx64); M / Shift+M switch in the window\n"
            "  --mode MODE          power mode (default: the module's); P / Shift+P switch\n"
            "  --frames N           override the trace's frame count\n"
            "  --seed N             seed of the trace's random draws (as orinsim run)\n"
            "  --power, --clocks, --power-cap, --ambient, --power-sample, --cooling\n"
            "                       as orinsim run: rails, temperatures, clocks and load as\n"
            "                       counters under the lanes (docs/power.md)\n"
            "  --compare SKU[:MODE] a second pane with another module or mode\n"
            "  --size WxH           window or screenshot size (default 1280x720)\n"
            "  --font FILE.ttf      monospaced TrueType font (default DejaVu Sans Mono)\n"
            "  --screenshot OUT.png render one frame with no display and exit\n"
            "  --range T0:T1        initial time range, e.g. 0:5ms (default: the whole run)\n"
            "  --select T0:T1       select a range (per-lane busy %%, bytes, energy)\n"
            "  --search TEXT        highlight slices whose name contains TEXT\n"
            "  --details            select the first slice matching --search and show it\n"
            "  --collapse GROUPS    collapse groups, e.g. GPU,CPU\n"
            "  --shots DIR          where F12 writes screenshots (default .)\n"
            "\n"
            "keys: wheel or W/S zoom, A/D or right-drag pan, F fit, click a slice for details,\n"
            "left-drag select a range, / search, N next match, 1-5 collapse groups,\n"
            "P mode, M module, F12 screenshot, H help, Q quit (docs/viewer.md)\n"
            "\n"
            "exit codes: 0 ok, 1 internal error, 2 bad input or usage, 5 no display, no font or\n"
            "no viewer in this build\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim view --help`", fmt, arg);
}

/* "T0:T1" with units ("0:5ms", "1ms:2.5ms"); a bare 0 is allowed. */
static int parse_range(const char *s, double *a, double *b)
{
    char buf[128], why[128], *colon;
    uint64_t x, y;
    snprintf(buf, sizeof buf, "%s", s);
    colon = strchr(buf, ':');
    if (colon == NULL)
        return -1;
    *colon = '\0';
    if (strcmp(buf, "0") == 0)
        x = 0;
    else if (units_duration_ps(buf, &x, why, sizeof why) != 0)
        return -1;
    if (units_duration_ps(colon + 1, &y, why, sizeof why) != 0 || y <= x)
        return -1;
    *a = (double)x;
    *b = (double)y;
    return 0;
}

/* 0: run; 1: --help was printed; EXIT_BAD_INPUT: bad usage (message printed). */
static int parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof *o);
    power_options_init(&o->power);
    o->sku = "agx64";
    o->w = 1280;
    o->h = 720;
    o->bench_slices = 1000000;
    o->bench_frames = 240;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE()                                                                                \
    do {                                                                                       \
        if (v == NULL)                                                                         \
            return bad_usage("%s needs a value", a);                                           \
        i++;                                                                                   \
    } while (0)
        int prc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        } else if ((prc = power_cli_option(&o->power, argc, argv, &i)) != 0) {
            if (prc < 0)
                return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--seed") == 0) {
            VALUE();
            if (vary_parse_seed(v, &o->seed) != 0)
                return bad_usage("--seed expects a whole number from 0 to 2^64 - 1, got '%s'",
                                 v);
            o->seeded = 1;
        } else if (strcmp(a, "--sku") == 0) {
            VALUE();
            o->sku = v;
        } else if (strcmp(a, "--mode") == 0) {
            VALUE();
            o->mode = v;
        } else if (strcmp(a, "--compare") == 0) {
            VALUE();
            o->compare = v;
        } else if (strcmp(a, "--font") == 0) {
            VALUE();
            o->font = v;
        } else if (strcmp(a, "--screenshot") == 0) {
            VALUE();
            o->screenshot = v;
        } else if (strcmp(a, "--shots") == 0) {
            VALUE();
            o->shots = v;
        } else if (strcmp(a, "--search") == 0) {
            VALUE();
            o->search = v;
        } else if (strcmp(a, "--collapse") == 0) {
            VALUE();
            {
                static char buf[64];
                snprintf(buf, sizeof buf, "%s", v);
                o->collapse[0] = '\0';
                for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
                    int g = -1;
                    for (int k = 0; k < TL_GROUP_COUNT; k++)
                        if (strcasecmp(t, timeline_group_name((tl_group_t)k)) == 0)
                            g = k;
                    if (g < 0)
                        return bad_usage("--collapse: unknown group '%s' (GPU, SM, DLA, PVA, CPU)",
                                         t);
                    o->collapse[g] = 1;
                }
            }
        } else if (strcmp(a, "--details") == 0) {
            o->details = 1;
        } else if (strcmp(a, "--bench") == 0) {
            o->bench = 1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--size") == 0) {
            VALUE();
            if (sscanf(v, "%dx%d", &o->w, &o->h) != 2 || o->w < 320 || o->h < 200 ||
                o->w > 8192 || o->h > 8192)
                return bad_usage("--size expects WxH from 320x200 to 8192x8192, got '%s'", v);
        } else if (strcmp(a, "--range") == 0 || strcmp(a, "--select") == 0) {
            int sel = a[2] == 's';
            VALUE();
            if (parse_range(v, sel ? &o->sel0 : &o->range0, sel ? &o->sel1 : &o->range1) != 0)
                return bad_usage("expected T0:T1 with units and T0 < T1, e.g. 0:5ms, got '%s'", v);
            *(sel ? &o->has_sel : &o->has_range) = 1;
        } else if (strcmp(a, "--frames") == 0 || strcmp(a, "--slices") == 0 ||
                   strcmp(a, "--bench-frames") == 0) {
            char *end;
            long long n;
            VALUE();
            n = strtoll(v, &end, 10);
            if (*v == '\0' || *end != '\0' || n < 1 || n > 100000000)
                return bad_usage("expected a whole number from 1 to 100000000, got '%s'", v);
            if (a[2] == 'f')
                o->frames = n;
            else if (a[2] == 's')
                o->bench_slices = (long)n;
            else
                o->bench_frames = (int)(n < 4 ? 4 : n);
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s'", a);
        } else if (o->trace == NULL) {
            o->trace = a;
        } else {
            return bad_usage("unexpected argument '%s' (one trace per view)", a);
        }
#undef VALUE
    }
    if (!o->bench && o->trace == NULL)
        return bad_usage("%s", "no trace given");
    return 0;
}

/* ---- sessions ---- */

static int exit_code(const diag_t *d)
{
    return strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
}

/* Load module `sku` in mode `mode` (NULL: its default) and replay the trace; on success
 * the session shows the new run. On failure the session keeps what it showed. */
static int simulate(session_t *s, const char *sku_name, const char *mode, diag_t *d)
{
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    replay_options_t ro = {0};
    replay_result_t res;
    timeline_t *tl;
    power_run_t *pr = NULL;
    if (sku == NULL)
        return diag_error(d, "", 0, 0, "internal error: out of memory");
    if (sku_load(sku_name, sku, d) != 0 || sku_resolve(sku, mode, &cfg, d) != 0 ||
        replay_check(&cfg, s->trace, d) != 0) {
        free(sku);
        return DIAG_ERR;
    }
    tl = timeline_new();
    ro.timeline = tl;
    ro.frames = s->frames;
    ro.seeded = s->seeded;
    ro.seed = s->seed;
    if (tl == NULL || (s->power && power_run_setup(&pr, s->power, &cfg, &ro, d) != 0) ||
        replay_run(&cfg, s->trace, &ro, &res, d) != 0) {
        if (tl == NULL)
            diag_error(d, "", 0, 0, "internal error: out of memory");
        power_run_free(pr);
        timeline_free(tl);
        free(sku);
        return DIAG_ERR;
    }
    power_run_free(pr);   /* its series are on the timeline now */
    s->mean_latency_ps = sim_dist_mean(&res.frame_latency);
    replay_result_free(&res);
    if (tl->failed) {
        timeline_free(tl);
        free(sku);
        return diag_error(d, "", 0, 0, "internal error: out of memory recording the timeline");
    }
    s->misses = 0;
    for (size_t i = 0; i < tl->nframes; i++)
        s->misses += tl->frames[i].deadline && tl->frames[i].done > tl->frames[i].deadline;
    if (s->drawn && draw_retarget(&s->draw, tl, d) != 0) {
        timeline_free(tl);
        free(sku);
        return DIAG_ERR;
    }
    timeline_free(s->tl);
    free(s->sku);
    s->tl = tl;
    s->sku = sku;
    s->cfg = cfg;
    s->cfg.sku = sku;
    s->cfg.mode = &sku->modes[cfg.mode - cfg.sku->modes];
    s->sku_i = -1;
    for (int i = 0; i < s->nskus; i++)
        if (strcmp(s->skus[i], sku->name) == 0)
            s->sku_i = i;
    return 0;
}

static void session_title(session_t *s)
{
    char lat[64];
    snprintf(lat, sizeof lat, "%.3f ms", s->mean_latency_ps * 1e-9);
    snprintf(s->draw.title, sizeof s->draw.title,
             "%s | %s (%s) | mode %s | %lld frames, mean latency %s, %lld deadline misses",
             s->trace->name[0] ? s->trace->name : s->trace->path, s->sku->name, s->sku->title,
             s->cfg.mode->name, (long long)s->tl->nframes, lat, (long long)s->misses);
}

static int session_open(session_t *s, trace_t *trace, const options_t *o, const char *sku,
                        const char *mode, const font_t *font, diag_t *d)
{
    memset(s, 0, sizeof *s);
    s->trace = trace;
    s->frames = o->frames;
    s->power = &o->power;
    s->seeded = o->seeded;
    s->seed = o->seed;
    s->nskus = sku_list(s->skus, MAX_SKUS);
    if (simulate(s, sku, mode, d) != 0)
        return DIAG_ERR;
    if (draw_init(&s->draw, s->tl, font, d) != 0)
        return DIAG_ERR;
    s->drawn = 1;
    session_title(s);
    return 0;
}

static void session_close(session_t *s)
{
    if (s->drawn)
        draw_free(&s->draw);
    timeline_free(s->tl);
    free(s->sku);
    memset(s, 0, sizeof *s);
}

/* Re-simulate with the next (dir > 0) or previous power mode, or module (`module`). */
static void session_switch(session_t *s, int module, int dir)
{
    diag_t d;
    char msg[300];
    int ok = 0;
    diag_clear(&d);
    if (module) {
        /* the next module on which the trace runs (a DLA trace skips the Nanos) */
        for (int k = 1; k <= s->nskus && !ok; k++) {
            int i = ((s->sku_i < 0 ? 0 : s->sku_i) + dir * k + k * s->nskus) % s->nskus;
            diag_clear(&d);
            ok = simulate(s, s->skus[i], NULL, &d) == 0;
        }
    } else {
        int m = (int)(s->cfg.mode - s->sku->modes), n = s->sku->nmodes;
        char sku_name[SKU_NAME_LEN + 512];
        snprintf(sku_name, sizeof sku_name, "%s", s->sku_i >= 0 ? s->sku->name : s->sku->path);
        ok = simulate(s, sku_name, s->sku->modes[(m + dir + n) % n].name, &d) == 0;
    }
    if (ok) {
        session_title(s);
        snprintf(s->draw.status, sizeof s->draw.status, "re-simulated: %s mode %s",
                 s->sku->name, s->cfg.mode->name);
        printf("orinsim view: %s mode %s: %zu slices, %zu frames, %lld deadline misses\n",
               s->sku->name, s->cfg.mode->name, s->tl->nslices, s->tl->nframes,
               (long long)s->misses);
        out_stdout_flush();
    } else {
        diag_format(&d, msg, sizeof msg);
        snprintf(s->draw.status, sizeof s->draw.status, "%s", msg);
    }
}

static void apply_options(session_t *s, const options_t *o)
{
    draw_t *v = &s->draw;
    for (int g = 0; g < TL_GROUP_COUNT; g++)
        v->collapsed[g] = o->collapse[g];
    if (o->has_range) {
        v->t0 = o->range0;
        v->t1 = o->range1;
    }
    if (o->has_sel)
        draw_select_range(v, o->sel0, o->sel1);
    if (o->search)
        draw_set_search(v, o->search);
    if (o->details && draw_next_match(v, 1) != 0)
        snprintf(v->status, sizeof v->status, "no slice matches '%s'", o->search ? o->search : "");
}

/* ---- rendering panes ---- */

static void render(session_t *panes, int npanes, canvas_t *c)
{
    for (int p = 0; p < npanes; p++) {
        int y = c->h * p / npanes, h = c->h * (p + 1) / npanes - y;
        draw_render(&panes[p].draw, c, 0, y, c->w, h);
    }
}

static int pane_at(const session_t *panes, int npanes, int y)
{
    for (int p = npanes - 1; p > 0; p--)
        if (y >= panes[p].draw.y0)
            return p;
    return 0;
}

/* Keep every pane on the time range of pane `from`. */
static void sync_time(session_t *panes, int npanes, int from)
{
    for (int p = 0; p < npanes; p++) {
        panes[p].draw.t0 = panes[from].draw.t0;
        panes[p].draw.t1 = panes[from].draw.t1;
    }
}

static int screenshot(session_t *panes, int npanes, int w, int h, const char *path, diag_t *d)
{
    canvas_t *c = canvas_new(w, h);
    int rc;
    if (c == NULL)
        return diag_error(d, path, 0, 0, "out of memory rendering the screenshot");
    render(panes, npanes, c);
    /* a second pass: the first laid the rows out for picking and for --details panels */
    render(panes, npanes, c);
    rc = image_write_png(path, c, d);
    canvas_free(c);
    return rc;
}

/* ---- the window ---- */

typedef struct ui {
    SDL_Window *win;
    canvas_t *own;            /* used when the window surface is not 32-bit RGB */
    session_t *panes;
    int npanes;
    int drag;                 /* 0 none, 1 selecting, 2 panning */
    int down_x, down_y, last_x, moved, drag_pane;
    int searching;
    int shot_n;
    const char *shots;
    int quit, dirty;
} ui_t;

static void present(ui_t *u)
{
    SDL_Surface *s = SDL_GetWindowSurface(u->win);
    canvas_t *c;
    if (s == NULL)
        return;
    if (SDL_MUSTLOCK(s))
        SDL_LockSurface(s);
    if (s->format->format == SDL_PIXELFORMAT_RGB888 || s->format->format == SDL_PIXELFORMAT_ARGB8888) {
        c = canvas_wrap(s->pixels, s->w, s->h, s->pitch / 4);
        if (c) {
            render(u->panes, u->npanes, c);
            canvas_free(c);
        }
    } else {
        if (u->own == NULL || u->own->w != s->w || u->own->h != s->h) {
            canvas_free(u->own);
            u->own = canvas_new(s->w, s->h);
        }
        if (u->own) {
            render(u->panes, u->npanes, u->own);
            SDL_ConvertPixels(s->w, s->h, SDL_PIXELFORMAT_ARGB8888, u->own->px, u->own->pitch * 4,
                              s->format->format, s->pixels, s->pitch);
        }
    }
    if (SDL_MUSTLOCK(s))
        SDL_UnlockSurface(s);
    SDL_UpdateWindowSurface(u->win);
}

static void save_shot(ui_t *u)
{
    char path[1024];
    diag_t d;
    int w, h;
    diag_clear(&d);
    SDL_GetWindowSize(u->win, &w, &h);
    snprintf(path, sizeof path, "%s/orinsim-shot-%03d.png", u->shots ? u->shots : ".", u->shot_n++);
    if (screenshot(u->panes, u->npanes, w, h, path, &d) != 0) {
        diag_print(&d);
        return;
    }
    printf("orinsim view: wrote %s\n", path);
    out_stdout_flush();
}

static void on_key(ui_t *u, const SDL_KeyboardEvent *k, int mouse_x, int mouse_y)
{
    int p = pane_at(u->panes, u->npanes, mouse_y);
    draw_t *v = &u->panes[p].draw;
    int shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (u->searching) {
        if (k->keysym.sym == SDLK_RETURN || k->keysym.sym == SDLK_KP_ENTER) {
            u->searching = 0;
            SDL_StopTextInput();
            draw_next_match(v, 1);
        } else if (k->keysym.sym == SDLK_ESCAPE) {
            u->searching = 0;
            SDL_StopTextInput();
            for (int q = 0; q < u->npanes; q++)
                draw_set_search(&u->panes[q].draw, "");
        } else if (k->keysym.sym == SDLK_BACKSPACE && v->search[0]) {
            char s[64];
            snprintf(s, sizeof s, "%s", v->search);
            s[strlen(s) - 1] = '\0';
            for (int q = 0; q < u->npanes; q++)
                draw_set_search(&u->panes[q].draw, s);
        }
        u->dirty = 1;
        return;
    }
    switch (k->keysym.sym) {
    case SDLK_q:
        u->quit = 1;
        break;
    case SDLK_ESCAPE:
        for (int q = 0; q < u->npanes; q++) {
            u->panes[q].draw.sel = -1;
            u->panes[q].draw.ranged = 0;
            u->panes[q].draw.help = 0;
            draw_set_search(&u->panes[q].draw, "");
        }
        break;
    case SDLK_w:
        draw_zoom(v, 0.8, mouse_x);
        sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_s:
        draw_zoom(v, 1.25, mouse_x);
        sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_a:
    case SDLK_LEFT:
        draw_pan(v, -0.1 * (v->w - v->label_w));
        sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_d:
    case SDLK_RIGHT:
        draw_pan(v, 0.1 * (v->w - v->label_w));
        sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_f:
        draw_fit(v);
        sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_UP:
        draw_scroll(v, -v->font->h);
        break;
    case SDLK_DOWN:
        draw_scroll(v, v->font->h);
        break;
    case SDLK_PAGEUP:
        draw_scroll(v, -v->lanes_h / 2);
        break;
    case SDLK_PAGEDOWN:
        draw_scroll(v, v->lanes_h / 2);
        break;
    case SDLK_SLASH:
        if (shift) {
            v->help = !v->help;
            break;
        }
        u->searching = 1;
        for (int q = 0; q < u->npanes; q++)
            draw_set_search(&u->panes[q].draw, "");
        SDL_StartTextInput();
        break;
    case SDLK_h:
    case SDLK_F1:
        v->help = !v->help;
        break;
    case SDLK_n:
        if (draw_next_match(v, shift ? -1 : 1) == 0)
            sync_time(u->panes, u->npanes, p);
        break;
    case SDLK_p:
        session_switch(&u->panes[p], 0, shift ? -1 : 1);
        break;
    case SDLK_m:
        session_switch(&u->panes[p], 1, shift ? -1 : 1);
        break;
    case SDLK_1: case SDLK_2: case SDLK_3: case SDLK_4: case SDLK_5:
        for (int q = 0; q < u->npanes; q++)
            draw_toggle_group(&u->panes[q].draw, (tl_group_t)(k->keysym.sym - SDLK_1));
        break;
    case SDLK_F12:
        save_shot(u);
        break;
    default:
        return;
    }
    u->dirty = 1;
}

static void on_click(ui_t *u, int x, int y)
{
    int p = pane_at(u->panes, u->npanes, y);
    draw_t *v = &u->panes[p].draw;
    const draw_row_t *row = draw_row_at(v, y);
    if (row && row->kind == ROW_GROUP) {
        draw_toggle_group(v, (tl_group_t)row->id);
        return;
    }
    v->sel = draw_pick(v, x, y);
    v->help = 0;
}

static int run_window(session_t *panes, int npanes, const options_t *o, diag_t *d)
{
    ui_t u = {0};
    int mx = 0, my = 0;
    char title[600];
    const char *drv = getenv("SDL_VIDEODRIVER");
    /* SDL falls back to its offscreen driver when there is no display, which would leave an
     * invisible window waiting for input that never comes: refuse instead. */
    if ((drv == NULL || *drv == '\0') && getenv("DISPLAY") == NULL &&
        getenv("WAYLAND_DISPLAY") == NULL) {
        diag_error(d, "", 0, 0,
                   "no display (neither DISPLAY nor WAYLAND_DISPLAY is set); render headless "
                   "with --screenshot OUT.png, or run under a display (e.g. xvfb-run)");
        return VIZ_EXIT_UNAVAILABLE;
    }
    if ((drv == NULL || *drv == '\0') && getenv("WAYLAND_DISPLAY") == NULL)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        diag_error(d, "", 0, 0,
                   "cannot open a window: %s (no display? set DISPLAY, or render headless "
                   "with --screenshot OUT.png)",
                   SDL_GetError());
        return VIZ_EXIT_UNAVAILABLE;
    }
    drv = SDL_GetCurrentVideoDriver();
    if (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0)) {
        diag_error(d, "", 0, 0,
                   "no display (SDL's '%s' video driver shows nothing); render headless with "
                   "--screenshot OUT.png",
                   drv);
        SDL_Quit();
        return VIZ_EXIT_UNAVAILABLE;
    }
    snprintf(title, sizeof title, "orinsim view: %s", panes[0].trace->path);
    u.win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->w, o->h,
                             SDL_WINDOW_RESIZABLE);
    if (u.win == NULL) {
        diag_error(d, "", 0, 0, "cannot open a window: %s (no display? try --screenshot)",
                   SDL_GetError());
        SDL_Quit();
        return VIZ_EXIT_UNAVAILABLE;
    }
    u.panes = panes;
    u.npanes = npanes;
    u.shots = o->shots;
    u.dirty = 1;
    SDL_StopTextInput();
    printf("orinsim view: window open (%dx%d)\n", o->w, o->h);
    out_stdout_flush();
    while (!u.quit) {
        SDL_Event e;
        if (u.dirty) {
            present(&u);
            u.dirty = 0;
        }
        if (!SDL_WaitEventTimeout(&e, 250))
            continue;
        do {
            switch (e.type) {
            case SDL_QUIT:
                u.quit = 1;
                break;
            case SDL_WINDOWEVENT:
                u.dirty = 1;
                break;
            case SDL_KEYDOWN:
                on_key(&u, &e.key, mx, my);
                break;
            case SDL_TEXTINPUT:
                if (u.searching) {
                    char s[128];
                    draw_t *v = &panes[0].draw;
                    snprintf(s, sizeof s, "%s%s", v->search, e.text.text);
                    for (int q = 0; q < npanes; q++)
                        draw_set_search(&panes[q].draw, s);
                    u.dirty = 1;
                }
                break;
            case SDL_MOUSEWHEEL: {
                int p = pane_at(panes, npanes, my);
                if (SDL_GetModState() & KMOD_SHIFT)
                    draw_scroll(&panes[p].draw, -e.wheel.y * 3 * panes[p].draw.font->h);
                else {
                    draw_zoom(&panes[p].draw, e.wheel.y > 0 ? 0.8 : 1.25, mx);
                    sync_time(panes, npanes, p);
                }
                u.dirty = 1;
                break;
            }
            case SDL_MOUSEBUTTONDOWN:
                u.down_x = u.last_x = e.button.x;
                u.down_y = e.button.y;
                u.moved = 0;
                u.drag_pane = pane_at(panes, npanes, e.button.y);
                u.drag = e.button.button == SDL_BUTTON_LEFT ? 1 : 2;
                break;
            case SDL_MOUSEMOTION: {
                draw_t *v = &panes[u.drag_pane].draw;
                mx = e.motion.x;
                my = e.motion.y;
                if (!u.drag)
                    break;
                if (abs(mx - u.down_x) > 3 || abs(my - u.down_y) > 3)
                    u.moved = 1;
                if (u.drag == 2) {
                    draw_pan(v, u.last_x - mx);
                    sync_time(panes, npanes, u.drag_pane);
                    u.dirty = 1;
                } else if (u.moved) {
                    draw_select_range(v, draw_t_of(v, u.down_x), draw_t_of(v, mx));
                    u.dirty = 1;
                }
                u.last_x = mx;
                break;
            }
            case SDL_MOUSEBUTTONUP:
                mx = e.button.x;
                my = e.button.y;
                if (u.drag == 1 && !u.moved)
                    on_click(&u, mx, my);
                u.drag = 0;
                u.dirty = 1;
                break;
            default:
                break;
            }
        } while (SDL_PollEvent(&e));
    }
    canvas_free(u.own);
    SDL_DestroyWindow(u.win);
    SDL_Quit();
    return EXIT_OK;
}

/* ---- entry ---- */

int viz_view_main(int argc, char **argv)
{
    options_t o;
    font_t font;
    trace_t *trace = NULL;
    session_t panes[2];
    int npanes = 0, rc = EXIT_OK;
    const char *font_path;
    diag_t d;
    rc = parse_options(argc, argv, &o);
    if (rc != 0)
        return rc == 1 ? EXIT_OK : EXIT_BAD_INPUT;  /* --help, or bad usage */
    diag_clear(&d);
    font_path = font_default_path(o.font);
    if (font_load(&font, font_path, FONT_POINTS, &d) != 0) {
        diag_print(&d);
        return VIZ_EXIT_UNAVAILABLE;
    }
    if (o.bench) {
        rc = bench_run(&font, o.bench_slices, o.w, o.h, o.bench_frames, o.json, stdout, &d);
        if (rc != 0)
            diag_print(&d);
        font_free(&font);
        TTF_Quit();
        return rc ? EXIT_INTERNAL : EXIT_OK;
    }
    trace = calloc(1, sizeof *trace);
    if (trace == NULL) {
        font_free(&font);
        return EXIT_INTERNAL;
    }
    if (trace_load(o.trace, trace, &d) != 0) {
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    if (session_open(&panes[npanes++], trace, &o, o.sku, o.mode, &font, &d) != 0) {
        rc = exit_code(&d);
        goto out;
    }
    if (o.compare) {
        char sku[256], *colon;
        snprintf(sku, sizeof sku, "%s", o.compare);
        colon = strrchr(sku, ':');
        if (colon)
            *colon++ = '\0';
        if (session_open(&panes[npanes++], trace, &o, sku, colon, &font, &d) != 0) {
            rc = exit_code(&d);
            goto out;
        }
        /* both panes on one time axis: the longer run */
        if (panes[1].draw.t1 > panes[0].draw.t1)
            sync_time(panes, npanes, 1);
        else
            sync_time(panes, npanes, 0);
    }
    for (int p = 0; p < npanes; p++)
        apply_options(&panes[p], &o);
    if (o.screenshot) {
        if (screenshot(panes, npanes, o.w, o.h, o.screenshot, &d) != 0)
            rc = strstr(d.msg, "out of memory") ? EXIT_INTERNAL : EXIT_OUTPUT;
    } else {
        rc = run_window(panes, npanes, &o, &d);
    }
out:
    if (d.set)
        diag_print(&d);
    for (int p = 0; p < npanes; p++)
        session_close(&panes[p]);
    trace_free(trace);
    free(trace);
    font_free(&font);
    TTF_Quit();
    return rc;
}
