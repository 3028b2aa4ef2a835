/*
 * bench_cli: `orinsim bench phold [options]`, the event-engine benchmark of sim/phold.c,
 * and with --bare its reference: the same model on a bare heap.
 * Prints the results to stdout and returns a process exit code (EXIT_OK, or
 * EXIT_BAD_INPUT with a message on stderr for bad arguments).
 */
#include "soc/cli/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/phold.h"
#include "soc/io/out.h"
#include "soc/io/units.h"

static const char USAGE[] =
    "usage: orinsim bench phold [options]\n"
    "  --lps N              logical processes (default 64)\n"
    "  --events-per-lp E    initial events per LP (default 16)\n"
    "  --lookahead TIME     minimum delay of each new event (default 1ns)\n"
    "  --mean TIME          mean of the exponential part of the delay (default 10ns)\n"
    "  --remote FRACTION    probability a new event goes to a random LP (default 0.9)\n"
    "  --count N            events per run (default 20000000)\n"
    "  --end TIME           also stop at this simulated time (default: no limit)\n"
    "  --seed S             PRNG seed (default 1)\n"
    "  --repeat R           runs; the median is reported (default 1)\n"
    "  --bare               run the reference instead: the same model on a bare 4-ary\n"
    "                       heap, no engine (same events and digest)\n"
    "  --json               print the results as JSON\n";

static int bad(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "orinsim bench phold: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(run 'orinsim bench phold --help' for the options)\n");
    return EXIT_BAD_INPUT;
}

/* A whole number in [lo, hi], written plainly or in scientific notation ("2e7"). */
static int parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    double v;
    if (units_number(s, &v) != 0 || v != floor(v) || v < (double)lo || v > (double)hi)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_phold_cli(int argc, char **argv)
{
    phold_params_t p;
    phold_defaults(&p);
    uint64_t repeat = 1;
    int json = 0;
    char why[256];

    int i = 0;
    if (argc > 0 && strcmp(argv[0], "phold") == 0)
        i = 1;
    for (; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(USAGE, stdout);
            return EXIT_OK;
        }
        if (strcmp(opt, "--json") == 0) {
            json = 1;
            continue;
        }
        if (strcmp(opt, "--bare") == 0) {
            p.bare = 1;
            continue;
        }
        /* Every other option takes a value: "--opt VALUE" or "--opt=VALUE". */
        char name[32];
        const char *val;
        const char *eq = strchr(opt, '=');
        if (eq) {
            size_t n = (size_t)(eq - opt);
            if (n >= sizeof name)
                return bad("unknown option '%s'%s", opt, "");
            memcpy(name, opt, n);
            name[n] = '\0';
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", opt);
            val = i + 1 < argc ? argv[i + 1] : NULL;
        }
        static const char *const known[] = {"--lps", "--events-per-lp", "--lookahead", "--mean",
                                            "--remote", "--count", "--end", "--seed",
                                            "--repeat", NULL};
        int k = 0;
        while (known[k] && strcmp(known[k], name) != 0)
            k++;
        if (known[k] == NULL)
            return bad("unknown option '%s'%s (expected --lps, --events-per-lp, --lookahead, "
                       "--mean, --remote, --count, --end, --seed, --repeat, --bare, --json)",
                       opt, "");
        if (val == NULL)
            return bad("option '%s' needs a value%s", name, "");
        if (!eq)
            i++;

        uint64_t u;
        double d;
        if (strcmp(name, "--lps") == 0) {
            if (parse_count(val, 1, 1u << 24, &u) != 0)
                return bad("--lps '%s': expected a whole number from 1 to 16777216%s", val, "");
            p.lps = (uint32_t)u;
        } else if (strcmp(name, "--events-per-lp") == 0) {
            if (parse_count(val, 1, 1u << 24, &u) != 0)
                return bad("--events-per-lp '%s': expected a whole number from 1 to "
                           "16777216%s", val, "");
            p.events_per_lp = (uint32_t)u;
        } else if (strcmp(name, "--lookahead") == 0) {
            if (units_duration_ps(val, &p.lookahead, why, sizeof why) != 0)
                return bad("--lookahead: %s%s", why, "");
        } else if (strcmp(name, "--mean") == 0) {
            if (units_duration_ps(val, &p.mean, why, sizeof why) != 0)
                return bad("--mean: %s%s", why, "");
        } else if (strcmp(name, "--end") == 0) {
            if (units_duration_ps(val, &p.end, why, sizeof why) != 0)
                return bad("--end: %s%s", why, "");
        } else if (strcmp(name, "--remote") == 0) {
            if (units_number(val, &d) != 0 || d < 0.0 || d > 1.0)
                return bad("--remote '%s': expected a fraction from 0 to 1%s", val, "");
            p.remote = d;
        } else if (strcmp(name, "--count") == 0) {
            if (parse_count(val, 1, (uint64_t)1e15, &u) != 0)
                return bad("--count '%s': expected a whole number from 1 to 1e15%s", val, "");
            p.count = u;
        } else if (strcmp(name, "--seed") == 0) {
            char *end;
            if (val[0] < '0' || val[0] > '9')
                return bad("--seed '%s': expected a non-negative integer%s", val, "");
            p.seed = strtoull(val, &end, 10);
            if (*end != '\0')
                return bad("--seed '%s': expected a non-negative integer%s", val, "");
        } else {
            if (parse_count(val, 1, 1000, &u) != 0)
                return bad("--repeat '%s': expected a whole number from 1 to 1000%s", val, "");
            repeat = u;
        }
    }
    if ((uint64_t)p.lps * p.events_per_lp > 0x7fffffffULL)
        return bad("--lps x --events-per-lp is too large (limit 2^31 - 1 pending events)%s%s",
                   "", "");

    double *rates = malloc(repeat * sizeof *rates);
    phold_result_t *res = malloc(repeat * sizeof *res);
    if (rates == NULL || res == NULL) {
        free(rates);
        free(res);
        fprintf(stderr, "orinsim bench phold: out of memory\n");
        return EXIT_INTERNAL;
    }

    char la[32], mn[32], en[32];
    units_fmt_duration(p.lookahead, la, sizeof la);
    units_fmt_duration(p.mean, mn, sizeof mn);
    if (p.end == SIM_TIME_MAX)
        snprintf(en, sizeof en, "none");
    else
        units_fmt_duration(p.end, en, sizeof en);
    if (!json)
        printf("PHOLD%s: %u LPs x %u events, lookahead %s, mean %s, remote %.3g, count %llu, "
               "end %s, seed %llu\n",
               p.bare ? " (bare heap reference)" : "", p.lps, p.events_per_lp, la, mn, p.remote, (unsigned long long)p.count, en,
               (unsigned long long)p.seed);

    for (uint64_t r = 0; r < repeat; r++) {
        if (phold_run(&p, &res[r]) != 0) {
            free(rates);
            free(res);
            fprintf(stderr, "orinsim bench phold: out of memory\n");
            return EXIT_INTERNAL;
        }
        rates[r] = res[r].wall_s > 0 ? (double)res[r].events / res[r].wall_s : 0.0;
        if (!json) {
            char st[32];
            units_fmt_duration(res[r].sim_time, st, sizeof st);
            printf("run %llu/%llu: %llu events in %.3f s = %.2f M events/s "
                   "(simulated %s, digest %016llx)\n",
                   (unsigned long long)(r + 1), (unsigned long long)repeat,
                   (unsigned long long)res[r].events, res[r].wall_s, rates[r] / 1e6, st,
                   (unsigned long long)res[r].digest);
            out_stdout_flush();
        }
    }
    double *sorted = malloc(repeat * sizeof *sorted);
    double median = 0;
    if (sorted) {
        memcpy(sorted, rates, repeat * sizeof *sorted);
        qsort(sorted, repeat, sizeof *sorted, cmp_double);
        median = repeat % 2 ? sorted[repeat / 2]
                            : (sorted[repeat / 2 - 1] + sorted[repeat / 2]) / 2.0;
        free(sorted);
    }

    if (json) {
        printf("{\"benchmark\": \"%s\", \"lps\": %u, \"events_per_lp\": %u, "
               "\"lookahead_ps\": %llu, \"mean_ps\": %llu, \"remote\": %.17g, "
               "\"count\": %llu, ",
               p.bare ? "phold-bare-heap" : "phold", p.lps, p.events_per_lp, (unsigned long long)p.lookahead,
               (unsigned long long)p.mean, p.remote, (unsigned long long)p.count);
        if (p.end == SIM_TIME_MAX)
            printf("\"end_ps\": null, ");
        else
            printf("\"end_ps\": %llu, ", (unsigned long long)p.end);
        printf("\"seed\": %llu, \"runs\": [", (unsigned long long)p.seed);
        for (uint64_t r = 0; r < repeat; r++)
            printf("%s{\"events\": %llu, \"wall_s\": %.6f, \"events_per_s\": %.0f, "
                   "\"sim_time_ps\": %llu, \"digest\": \"%016llx\"}",
                   r ? ", " : "", (unsigned long long)res[r].events, res[r].wall_s, rates[r],
                   (unsigned long long)res[r].sim_time, (unsigned long long)res[r].digest);
        printf("], \"median_events_per_s\": %.0f}\n", median);
    } else if (repeat > 1) {
        printf("median of %llu runs: %.2f M events/s\n", (unsigned long long)repeat,
               median / 1e6);
    }
    free(rates);
    free(res);
    return EXIT_OK;
}
