/*
 * study_run: the runs of a study, each a batch run (soc/report/batch.h) with its own
 * trace, module, mode and conditions, on OpenMP threads.
 *
 * A run builds its trace first: a zoo network with the run's options written by the zoo
 * (zoo_emit) into memory and parsed, or the trace file's text (read once by the plan)
 * parsed again, so that the run may set its own rate. Then batch_run simulates it with
 * the power instrument when the study asks for it, renders its JSON report (reproducible:
 * no wall time) and evaluates the study's budgets on it; the row keeps the study's
 * metrics read from that report, as a budget reads them. A run that cannot be made
 * becomes a failed row with the diagnostic: nothing here stops the study.
 *
 * Threads and ranks take runs one at a time from a dispenser (study_exec_t.next): a local
 * counter, or MPI's shared counter (study_mpi.c). Each run writes only its own slot, and
 * the rows are put in index order afterwards, so the result does not depend on who ran
 * what.
 */
#include "soc/study/study_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef ORINSIM_HAVE_OPENMP
#include <omp.h>
#endif

#include "soc/report/batch.h"
#include "soc/run/power_run.h"
#include "soc/trace/trace.h"
#include "soc/zoo/zoo.h"

double study_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The run's trace: a network of the zoo with the run's options, or the trace file. */
static int build_trace(const study_plan_t *p, const study_run_spec_t *r, trace_t *t, diag_t *d)
{
    const study_t *s = p->s;
    int w = r->value[STUDY_WORKLOAD];
    const char *name = s->axes[STUDY_WORKLOAD].v[w].text;
    if (p->trace_text[w] == NULL) {
        zoo_options_t o;
        char why[512], *buf = NULL;
        size_t len = 0;
        FILE *f;
        int rc;
        memset(&o, 0, sizeof o);
        for (int a = STUDY_DTYPE; a <= STUDY_RUNTIME; a++) {
            char opt[32];
            if (r->value[a] < 0)
                continue;
            snprintf(opt, sizeof opt, "--%s", study_axis_name((study_axis_id_t)a));
            if (zoo_option_parse(&o, opt, s->axes[a].v[r->value[a]].text, why, sizeof why))
                return diag_error(d, s->path, 0, 0, "%s", why);   /* checked when parsed */
        }
        if ((f = open_memstream(&buf, &len)) == NULL)
            return diag_internal(d, s->path, 0, 0, "out of memory");
        rc = zoo_emit(f, name, &o, d);
        if (fclose(f) != 0 && rc == 0)
            rc = diag_internal(d, s->path, 0, 0, "out of memory writing the trace of %s", name);
        if (rc == 0)
            rc = trace_parse(name, buf, len, t, d);
        free(buf);
        if (rc != 0)
            return DIAG_ERR;
    } else if (trace_parse(p->trace_path[w], p->trace_text[w], p->trace_len[w], t, d) != 0) {
        return DIAG_ERR;
    }
    if (r->value[STUDY_FPS] >= 0) {
        double fps = s->axes[STUDY_FPS].v[r->value[STUDY_FPS]].number;
        if (trace_set_period(t, (uint64_t)(1e12 / fps + 0.5), d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void fail_row(study_row_t *row, const diag_t *d)
{
    char msg[2048];
    diag_format(d, msg, sizeof msg);
    row->status = STUDY_RUN_FAILED;
    row->error = dup_or_null(msg);
}

/* Run i of the plan into row (whose arrays are allocated). Returns its wall seconds. */
static double run_one(const study_plan_t *p, int i, study_row_t *row, int nbudgets)
{
    const study_t *s = p->s;
    const study_run_spec_t *r = &p->runs[i];
    batch_run_t br;
    batch_options_t bo;
    power_options_t po;
    trace_t t;
    diag_t d;
    double t0 = study_wall();

    for (int b = 0; b < nbudgets; b++)
        row->budget[b] = STUDY_BUDGET_NOT_RUN;
    diag_clear(&d);
    memset(&t, 0, sizeof t);
    if (build_trace(p, r, &t, &d) != 0) {
        fail_row(row, &d);
        trace_free(&t);
        return study_wall() - t0;
    }
    memset(&bo, 0, sizeof bo);
    power_options_init(&po);
    po.enabled = s->power;
    if (r->value[STUDY_AMBIENT] >= 0)
        po.ambient_c = s->axes[STUDY_AMBIENT].v[r->value[STUDY_AMBIENT]].number;
    if (r->value[STUDY_COOLING] >= 0)
        snprintf(po.cooling, sizeof po.cooling, "%.*s", (int)sizeof po.cooling - 1,
                 s->axes[STUDY_COOLING].v[r->value[STUDY_COOLING]].text);   /* checked */
    if (r->value[STUDY_SEED] >= 0) {
        bo.replay.seeded = 1;
        bo.replay.seed = s->axes[STUDY_SEED].v[r->value[STUDY_SEED]].seed;
    }
    bo.replay.frames = s->frames;
    bo.report.reproducible = 1;
    bo.budgets = &s->budgets;
    bo.power = s->power ? &po : NULL;
    bo.threads = 1;
    memset(&br, 0, sizeof br);
    br.trace = &t;
    br.cfg = &p->cfgs[r->cfg];
    batch_run(&br, 1, &bo);
    if (br.report == NULL) {
        fail_row(row, &br.diag);
    } else {
        row->status = br.thermal_shutdown ? STUDY_RUN_THERMAL : STUDY_RUN_OK;
        if (br.thermal_shutdown)
            row->error = strdup("the run ended in thermal shutdown");
        for (int m = 0; m < s->nmetrics; m++) {
            double v;
            row->has[m] = metric_value(&s->metrics[m], br.report, &v) == 0 && isfinite(v);
            row->metric[m] = row->has[m] ? v : 0;
        }
        for (int b = 0; b < nbudgets && b < br.nbudgets; b++) {
            row->budget[b] = br.budgets[b].status == BUDGET_PASS   ? STUDY_BUDGET_PASS
                             : br.budgets[b].status == BUDGET_FAIL ? STUDY_BUDGET_FAIL
                                                                   : STUDY_BUDGET_NO_VALUE;
            row->bvalue[b] = row->budget[b] == STUDY_BUDGET_NO_VALUE ? 0 : br.budgets[b].value;
        }
    }
    batch_run_free(&br);
    trace_free(&t);
    return study_wall() - t0;
}

typedef struct progress {
    int on;
    int total, done, failed;
    int taken;                  /* positions handed out to every rank (MPI), else -1 */
    double start, last;
} progress_t;

/* One line, rewritten in place at most four times a second. Under MPI this rank sees
 * only its own runs finish, so it counts the runs the ranks have taken instead. */
static void progress_show(progress_t *pg, int final)
{
    double now = study_wall(), left = 0;
    int seen = pg->taken >= 0 ? pg->taken : pg->done;
    if (!pg->on || (!final && now - pg->last < 0.25))
        return;
    pg->last = now;
    if (seen > 0 && !final)
        left = (now - pg->start) / seen * (pg->total - seen);
    if (pg->taken >= 0)
        fprintf(stderr, "\rstudy: %d of %d runs started, %d done here (%d failed), about "
                "%.0f s left   %s", seen, pg->total, pg->done, pg->failed, left,
                final ? "\n" : "");
    else
        fprintf(stderr, "\rstudy: %d of %d runs done, %d failed, about %.0f s left   %s",
                pg->done, pg->total, pg->failed, left, final ? "\n" : "");
    fflush(stderr);
}

static int local_next(void *ctx)
{
    int *counter = ctx, i;
#ifdef ORINSIM_HAVE_OPENMP
#pragma omp atomic capture
#endif
    i = (*counter)++;
    return i;
}

int study_run(const study_plan_t *p, const int *list, int n, const study_exec_t *x,
              study_result_t *res, study_stats_t *st, diag_t *d)
{
    study_row_t *slots = calloc((size_t)(n > 0 ? n : 1), sizeof *slots);
    unsigned char *done = calloc((size_t)(n > 0 ? n : 1), 1);
    progress_t pg = {.on = x->progress, .total = n, .taken = x->next ? 0 : -1,
                     .start = study_wall()};
    int counter = 0, threads = 1, rc = 0;
    int (*next)(void *) = x->next ? x->next : local_next;
    void *ctx = x->next ? x->ctx : &counter;
    double busy = 0, t0 = study_wall();
    if (slots == NULL || done == NULL) {
        free(slots);
        free(done);
        return diag_internal(d, p->s->path, 0, 0, "out of memory");
    }
#ifdef ORINSIM_HAVE_OPENMP
    threads = x->threads > 0 ? x->threads : omp_get_max_threads();
    if (threads > n)
        threads = n > 0 ? n : 1;
#pragma omp parallel num_threads(threads) reduction(+ : busy)
#endif
    {
        for (;;) {
            int k;
#ifdef ORINSIM_HAVE_OPENMP
#pragma omp critical(study_next)
#endif
            {
                k = next(ctx);
                if (x->next && k >= 0)
                    pg.taken = k + 1 > pg.taken ? k + 1 : pg.taken;
            }
            if (k < 0 || k >= n)
                break;
            study_row_t *row = &slots[k];
            row->index = list[k];
            if (study_row_alloc(res, row) != 0) {
                row->status = STUDY_RUN_FAILED;
                row->error = NULL;
                continue;
            }
            busy += run_one(p, list[k], row, res->nbudgets);
            {
                char id[4096];
                study_run_id(p, list[k], id, sizeof id);
                row->id = strdup(id);
                for (int c = 0; c < p->ncolumns; c++) {
                    char v[STUDY_VALUE_LEN];
                    study_param(p, list[k], c, v, sizeof v);
                    row->param[c] = strdup(v);
                }
            }
#ifdef ORINSIM_HAVE_OPENMP
#pragma omp critical(study_next)   /* pg.taken is written in the one above */
#endif
            {
                done[k] = 1;
                pg.done++;
                pg.failed += row->status == STUDY_RUN_FAILED;
                progress_show(&pg, 0);
            }
        }
    }
    progress_show(&pg, 1);
    for (int k = 0; k < n; k++) {
        if (!done[k]) {
            study_row_free(res, &slots[k]);
            continue;
        }
        if (slots[k].id == NULL) {
            rc = diag_internal(d, p->s->path, 0, 0, "out of memory");
            study_row_free(res, &slots[k]);
            continue;
        }
        if (study_result_take(res, &slots[k]) != 0) {
            rc = diag_internal(d, p->s->path, 0, 0, "out of memory");
            study_row_free(res, &slots[k]);
        }
    }
    if (st) {
        st->runs = pg.done;
        st->threads = threads;
        st->wall_s = study_wall() - t0;
        st->busy_s = busy;
    }
    free(slots);
    free(done);
    return rc;
}
