/*
 * study_cli: `orinsim study` and `orinsim study merge`, the room's own command.
 *
 *   orinsim study STUDY.yaml [--shard K/N] [-o PREFIX] [--threads N] [--list] [--quiet]
 *   orinsim study merge PART.json... -o PREFIX [--partial]
 *   mpirun -n 4 orinsim study STUDY.yaml
 *
 * Every way of running a study ends in study_merge, even one process with no shard (one
 * part, itself), so the rows are sorted and checked the same way and the outputs are
 * written by one writer. A shard writes its part, PREFIX.part-K-of-N.json; the merge of
 * all parts writes what the whole study would have written.
 */
#include "soc/study/study_cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soc/io/out.h"
#include "soc/study/study_mpi.h"
#include "soc/study/study_run.h"

#define HINT "see `orinsim study --help`"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim study STUDY.yaml [options]     run a design-space study\n"
            "       orinsim study merge PART.json... -o PREFIX [--partial]\n"
            "       mpirun -n N orinsim study STUDY.yaml [options]   (a build with MPI)\n"
            "  -o, --output PREFIX  results in PREFIX.csv, PREFIX.json, PREFIX.txt (the summary)\n"
            "                    and PREFIX.junit.xml (budgets); default: the study's output:,\n"
            "                    else its name. With --shard, the part PREFIX.part-K-of-N.json\n"
            "  --shard K/N       run only the K-th of N shares (K from 1 to N): the runs whose\n"
            "                    index is K-1 modulo N; `study merge` joins the parts\n"
            "  --threads N       parallel runs in this process (default: OpenMP's; 1 per rank\n"
            "                    under mpirun)\n"
            "  --list            print the runs (index and id) of the study or the shard, and exit\n"
            "  --quiet           no progress on stderr and no summary on stdout\n"
            "  --progress        progress on stderr even when it is not a terminal (under\n"
            "                    mpirun, whose ranks write to pipes)\n"
            "  --stats           the study's wall time, its runs' time and its own overhead per\n"
            "                    run, on stderr\n"
            "  --partial         (merge) write a result even if some runs are in no part\n"
            "The study file: docs/study.md. Exit: 0, 2 bad input, 3 a budget failed, 8 an output\n"
            "could not be written.\n");
    fprintf(out, "This orinsim was built %s.\n", study_mpi_built()
            ? "with MPI: under mpirun the ranks share the runs" : "without MPI (shards still work)");
}

static int parse_count(const char *v, int max, int *out)
{
    char *end;
    long n;
    if (v == NULL || *v < '0' || *v > '9')
        return -1;
    n = strtol(v, &end, 10);
    if (*end != '\0' || n < 1 || n > max)
        return -1;
    *out = (int)n;
    return 0;
}

static int parse_shard(const char *v, int *k, int *n)
{
    char *end;
    long a, b;
    if (v == NULL || *v < '0' || *v > '9')
        return diag_usage(HINT, "--shard expects K/N, two whole numbers, got '%s'", v ? v : "");
    a = strtol(v, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return diag_usage(HINT, "--shard expects K/N, two whole numbers, got '%s'", v);
    b = strtol(end + 1, &end, 10);
    if (*end != '\0')
        return diag_usage(HINT, "--shard expects K/N, two whole numbers, got '%s'", v);
    if (b < 1 || b > STUDY_MAX_RUNS)
        return diag_usage(HINT, "--shard %s: N must be from 1 to 1000000", v);
    if (a < 1 || a > b)
        return diag_usage(HINT, "--shard %s: K must be from 1 to N", v);
    *k = (int)a;
    *n = (int)b;
    return EXIT_OK;
}

typedef struct part_emit {
    const study_result_t *r;
    const char *shard;
} part_emit_t;

static int emit_part(FILE *f, void *arg)
{
    const part_emit_t *p = arg;
    return study_part_write(f, p->r, p->shard);
}

/* The result's files and summary, or a shard's part. Returns an exit code. */
static int finish(study_result_t *r, const char *prefix, int shard_k, int shard_n, int quiet)
{
    int rc;
    if (shard_n > 0) {
        char path[STUDY_PATH_LEN + 64], shard[32];
        part_emit_t pe = {r, shard};
        diag_t d;
        snprintf(shard, sizeof shard, "%d/%d", shard_k, shard_n);
        snprintf(path, sizeof path, "%s.part-%d-of-%d.json", prefix, shard_k, shard_n);
        diag_clear(&d);
        if ((rc = out_write_file(path, "study part", emit_part, &pe, &d)) != EXIT_OK)
            diag_print(&d);
        else if (!quiet)
            printf("study     %s: shard %s, %d runs, part %s\n", r->name, shard, r->nrows, path);
        return rc;
    }
    study_pareto(r);
    rc = study_write_outputs(r, prefix);
    if (!quiet)
        study_summary(stdout, r);
    return rc != EXIT_OK ? rc : study_exit_code(r);
}

/* Rows of every rank to rank 0, merged there into *out. */
static int gather(study_mpi_t *m, study_result_t *mine, int complete, study_result_t *out,
                  diag_t *d)
{
    char *text = NULL, **texts = NULL;
    size_t len = 0, *lens = NULL;
    FILE *f = open_memstream(&text, &len);
    int rc = 0, dropped;
    if (f == NULL || study_part_write(f, mine, "") != 0 || fclose(f) != 0)
        rc = diag_internal(d, NULL, 0, 0, "out of memory writing this rank's rows");
    if (study_mpi_gather(m, text ? text : "", text ? len : 0, &texts, &lens) != 0 && rc == 0)
        rc = diag_internal(d, NULL, 0, 0, "gathering the ranks' rows failed");
    free(text);
    if (m->rank == 0 && rc == 0) {
        study_result_t *parts = calloc((size_t)m->size, sizeof *parts);
        int nparts = 0;
        if (parts == NULL)
            rc = diag_internal(d, NULL, 0, 0, "out of memory");
        for (int r = 0; rc == 0 && r < m->size; r++) {
            char name[64];
            snprintf(name, sizeof name, "<rank %d>", r);
            rc = study_part_parse(name, texts[r], lens[r], &parts[r], d);
            texts[r] = NULL;   /* taken */
            nparts += rc == 0;
        }
        if (rc == 0)
            rc = study_merge(parts, nparts, complete, out, &dropped, d);
        for (int r = 0; parts && r < nparts; r++)
            study_result_free(&parts[r]);
        free(parts);
    }
    for (int r = 0; texts && r < m->size; r++)
        free(texts[r]);
    free(texts);
    free(lens);
    return rc;
}

static int print_list(const study_plan_t *p, const int *list, int n)
{
    for (int k = 0; k < n; k++) {
        char id[4096];
        study_run_id(p, list[k], id, sizeof id);
        printf("%d %s\n", list[k], id);
    }
    return EXIT_OK;
}

static int run_study(int argc, char **argv, study_mpi_t *m)
{
    const char *path = NULL, *prefix = NULL;
    int shard_k = 0, shard_n = 0, threads = 0, list_only = 0, quiet = 0, stats = 0, rc;
    int progress = 0;
    int *list = NULL, n = 0;
    study_t s;
    study_plan_t p;
    study_result_t mine, all;
    study_exec_t x;
    study_stats_t st;
    diag_t d;
    double t0 = study_wall();

    memset(&st, 0, sizeof st);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--shard") == 0 ||
            strcmp(a, "--threads") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (v == NULL)
                return diag_usage(HINT, "%s needs a value", a);
            if (a[1] == 'o' || a[2] == 'o')
                prefix = v;
            else if (a[2] == 's' && parse_shard(v, &shard_k, &shard_n) != EXIT_OK)
                return EXIT_BAD_INPUT;
            else if (a[2] == 't' && parse_count(v, 1024, &threads) != 0)
                return diag_usage(HINT, "--threads expects a whole number from 1 to 1024, got "
                                  "'%s'", v);
        } else if (strcmp(a, "--list") == 0) {
            list_only = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (strcmp(a, "--progress") == 0) {
            progress = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return diag_usage(HINT, "unknown option '%s'", a);
        } else if (path == NULL) {
            path = a;
        } else {
            return diag_usage(HINT, "unexpected argument '%s' (one study file)", a);
        }
    }
    if (path == NULL)
        return diag_usage(HINT, "%s", "no study file given");
    diag_clear(&d);
    if (study_load(path, &s, &d) != 0) {
        if (m->rank == 0)
            diag_print(&d);
        return diag_exit_code(&d);
    }
    if (study_plan(&s, &p, &d) != 0) {
        if (m->rank == 0)
            diag_print(&d);
        study_free(&s);
        return diag_exit_code(&d);
    }
    if (prefix == NULL)
        prefix = s.output[0] ? s.output : s.name;
    list = calloc((size_t)p.nruns, sizeof *list);
    if (list == NULL) {
        study_plan_free(&p);
        study_free(&s);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < p.nruns; i++)
        if (shard_n == 0 || i % shard_n == shard_k - 1)
            list[n++] = i;
    if (list_only) {
        rc = m->rank == 0 ? print_list(&p, list, n) : EXIT_OK;
        goto done_plan;
    }
    memset(&x, 0, sizeof x);
    x.threads = threads ? threads : m->active ? 1 : 0;
    if (m->active && !m->threads_ok)
        x.threads = 1;
    x.progress = !quiet && m->rank == 0 && (progress || isatty(STDERR_FILENO));
    if (m->active) {
        x.next = study_mpi_next;
        x.ctx = m;
    }
    if (study_result_init(&mine, &p, &d) != 0 || study_mpi_open(m, n) != 0) {
        if (!d.set)
            diag_internal(&d, NULL, 0, 0, "MPI: the shared counter could not be made");
        diag_print(&d);
        study_result_free(&mine);
        rc = EXIT_INTERNAL;
        goto done_plan;
    }
    rc = study_run(&p, list, n, &x, &mine, &st, &d);
    study_mpi_close(m);
    memset(&all, 0, sizeof all);
    if (rc == 0 && m->active)
        rc = gather(m, &mine, shard_n == 0, &all, &d);
    else if (rc == 0) {
        int dropped;
        rc = study_merge(&mine, 1, shard_n == 0, &all, &dropped, &d);
    }
    if (rc != 0) {
        if (m->rank == 0)
            diag_print(&d);
        rc = diag_exit_code(&d);
    } else if (m->rank == 0) {
        rc = finish(&all, prefix, shard_k, shard_n, quiet);
    }
    if (stats) {
        double wall = study_wall() - t0;
        fprintf(stderr, "study: rank %d of %d: %d runs on %d threads; %.3f s wall, the runs "
                        "%.3f s; study overhead %.3f ms per run ((wall x threads - runs) / runs)\n",
                m->rank, m->size, st.runs, st.threads, wall, st.busy_s,
                st.runs ? (wall * st.threads - st.busy_s) / st.runs * 1e3 : 0.0);
    }
    study_result_free(&all);
    study_result_free(&mine);
done_plan:
    free(list);
    study_plan_free(&p);
    study_free(&s);
    return rc;
}

static int merge(int argc, char **argv)
{
    const char *prefix = NULL, *paths[4096];
    int n = 0, partial = 0, quiet = 0, rc, dropped = 0, loaded = 0;
    study_result_t *parts, all;
    diag_t d;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return diag_usage(HINT, "%s needs a value", a);
            prefix = argv[++i];
        } else if (strcmp(a, "--partial") == 0) {
            partial = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return diag_usage(HINT, "unknown option '%s'", a);
        } else if (n == 4096) {
            return diag_usage(HINT, "too many parts (at most 4096), at '%s'", a);
        } else {
            paths[n++] = a;
        }
    }
    if (n == 0)
        return diag_usage(HINT, "%s", "study merge: no parts given");
    if (prefix == NULL)
        return diag_usage(HINT, "%s", "study merge: -o PREFIX is required");
    parts = calloc((size_t)n, sizeof *parts);
    if (parts == NULL)
        return EXIT_INTERNAL;
    diag_clear(&d);
    rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = study_part_load(paths[i], &parts[i], &d);
        loaded += rc == 0;
    }
    if (rc == 0)
        rc = study_merge(parts, n, !partial, &all, &dropped, &d);
    if (rc != 0) {
        diag_print(&d);
        rc = diag_exit_code(&d);
    } else {
        if (dropped > 0 && !quiet)
            fprintf(stderr, "orinsim: note: %d runs were in more than one part; each is kept "
                            "once\n", dropped);
        rc = finish(&all, prefix, 0, 0, quiet);
        study_result_free(&all);
    }
    for (int i = 0; i < loaded; i++)
        study_result_free(&parts[i]);
    free(parts);
    return rc;
}

int study_cli(int argc, char **argv)
{
    study_mpi_t m;
    int rc;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
    if (argc >= 2 && strcmp(argv[1], "merge") == 0)
        return merge(argc - 1, argv + 1);
    if (study_mpi_begin(&m, &argc, &argv) != 0)
        return EXIT_UNAVAILABLE;
    rc = run_study(argc, argv, &m);
    rc = study_mpi_bcast_int(&m, rc);
    study_mpi_end(&m);
    return rc;
}
