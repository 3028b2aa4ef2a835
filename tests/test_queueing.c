/*
 * Queueing theory against the replay: a single CPU server (one task, one op, one thread,
 * max_in_flight 1, so a frame waits while the previous one runs) fed by Poisson arrivals.
 * The waiting time of a frame, from its arrival to its release, is the report's
 * queue_wait. With service S of mean E[S] = 1/mu, arrival rate lambda and utilisation
 * rho = lambda / mu, the closed forms are:
 *
 *   M/M/1 (exponential service):
 *     mean wait   Wq = rho / (mu - lambda)
 *     P(W > t)    = rho exp(-(mu - lambda) t), so the p-quantile (p > 1 - rho) is
 *                   t_p = ln(rho / (1 - p)) / (mu - lambda)
 *   M/D/1 (deterministic service D):
 *     mean wait   Wq = rho D / (2 (1 - rho))                     (Pollaczek-Khinchine)
 *     P(W <= t)   = (1 - rho) sum_{k=0}^{floor(t/D)} [lambda (kD - t)]^k / k! e^{-lambda (kD - t)}
 *                   (Erlang, 1909; Gross and Harris, Fundamentals of Queueing Theory,
 *                   M/D/1 waiting time), inverted by bisection for the p99.
 *
 * Service is 1 ms, declared with ref_clock equal to the mode's CPU clock so that the CPU
 * model runs it in exactly that time; rho 0.5 and 0.8; 10^6 arrivals each; the seed is
 * the default. Mean and p99 must be within 3 % of the closed forms.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

#define ARRIVALS 1000000
#define SERVICE_S 1e-3

typedef struct setup {
    sku_t sku;
    soc_config_t cfg;
} setup_t;

static setup_t *config(void)
{
    setup_t *s = calloc(1, sizeof *s);
    diag_t d;
    diag_clear(&d);
    setenv("ORINSIM_CONFIG_DIR", ORINSIM_SOURCE_DIR "/configs", 1);
    ck_assert_ptr_nonnull(s);
    if (sku_load("agx64", &s->sku, &d) != 0 || sku_resolve(&s->sku, NULL, &s->cfg, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("cannot load agx64");
    }
    return s;
}

/* Run the single-server queue; mean and p99 of the wait in seconds. */
static void run_queue(double rho, const char *service_dist, double *mean_s, double *p99_s)
{
    setup_t *s = config();
    char text[1024], dur[160];
    trace_t t;
    replay_result_t r;
    diag_t d;
    diag_clear(&d);
    if (strcmp(service_dist, "deterministic") == 0)
        snprintf(dur, sizeof dur, "1ms");
    else
        snprintf(dur, sizeof dur, "{dist: exponential, mean: 1ms}");
    snprintf(text, sizeof text,
             "orinsim: 1\n"
             "frames: %d\n"
             "arrival: {process: poisson, rate: %.17gHz}\n"
             "tasks:\n"
             "  - id: server\n"
             "    engine: cpu\n"
             "    ops:\n"
             "      - {op: cpu, duration: %s, ref_clock: %.17gHz}\n",
             ARRIVALS, rho / SERVICE_S, dur, s->cfg.cpu_hz);
    if (trace_parse("queue.yaml", text, strlen(text), &t, &d) != 0 ||
        replay_run(&s->cfg, &t, NULL, &r, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("run failed");
    }
    ck_assert_int_eq((int)sim_dist_count(&r.queue_wait), ARRIVALS);
    *mean_s = sim_dist_mean(&r.queue_wait) * 1e-12;
    *p99_s = (double)sim_dist_pct(&r.queue_wait, 99) * 1e-12;
    replay_result_free(&r);
    trace_free(&t);
    free(s);
}

static void near(double got, double want, const char *what)
{
    double err = fabs(got - want) / want;
    printf("%-24s model %.6f ms, theory %.6f ms, error %+.2f %%\n", what, got * 1e3, want * 1e3,
           100 * (got - want) / want);
    ck_assert_msg(err <= 0.03, "%s: %.6f ms vs %.6f ms theory (%.2f %% off, at most 3 %%)", what,
                  got * 1e3, want * 1e3, 100 * err);
}

/* M/D/1 waiting-time distribution P(W <= t), Erlang's sum (see the top). */
static double md1_cdf(double t, double lambda, double D)
{
    long double sum = 0;
    double rho = lambda * D;
    for (int k = 0; k <= (int)floor(t / D); k++) {
        long double x = (long double)lambda * ((long double)k * D - t);   /* <= 0 */
        sum += powl(x, k) / tgammal(k + 1) * expl(-x);
    }
    return (1 - rho) * (double)sum;
}

static double md1_quantile(double p, double lambda, double D)
{
    double lo = 0, hi = D;
    while (md1_cdf(hi, lambda, D) < p)
        hi *= 2;
    for (int i = 0; i < 100; i++) {
        double mid = (lo + hi) / 2;
        if (md1_cdf(mid, lambda, D) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

static void check_md1(double rho)
{
    double mean, p99, lambda = rho / SERVICE_S, D = SERVICE_S;
    char what[64];
    run_queue(rho, "deterministic", &mean, &p99);
    snprintf(what, sizeof what, "M/D/1 rho %.1f mean", rho);
    near(mean, rho * D / (2 * (1 - rho)), what);
    snprintf(what, sizeof what, "M/D/1 rho %.1f p99", rho);
    near(p99, md1_quantile(0.99, lambda, D), what);
}

static void check_mm1(double rho)
{
    double mean, p99, mu = 1 / SERVICE_S, lambda = rho * mu;
    char what[64];
    run_queue(rho, "exponential", &mean, &p99);
    snprintf(what, sizeof what, "M/M/1 rho %.1f mean", rho);
    near(mean, rho / (mu - lambda), what);
    snprintf(what, sizeof what, "M/M/1 rho %.1f p99", rho);
    near(p99, log(rho / 0.01) / (mu - lambda), what);
}

/* The closed form itself, where it is known by hand: at rho 0.5, P(W <= 0) = 1 - rho and
 * P(W <= D) = (1 - rho) e^{lambda D} = 0.5 e^{0.5} = 0.824. */
START_TEST(md1_formula)
{
    ck_assert_double_eq_tol(md1_cdf(0, 500, 1e-3), 0.5, 1e-12);
    ck_assert_double_eq_tol(md1_cdf(1e-3 * (1 - 1e-12), 500, 1e-3), 0.5 * exp(0.5), 1e-9);
}
END_TEST

START_TEST(md1_half) { check_md1(0.5); }
END_TEST
START_TEST(md1_080) { check_md1(0.8); }
END_TEST
START_TEST(mm1_half) { check_mm1(0.5); }
END_TEST
START_TEST(mm1_080) { check_mm1(0.8); }
END_TEST

int main(void)
{
    Suite *s = suite_create("queueing");
    TCase *tc = tcase_create("theory");
    SRunner *sr;
    int failed;
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, md1_formula);
    tcase_add_test(tc, md1_half);
    tcase_add_test(tc, md1_080);
    tcase_add_test(tc, mm1_half);
    tcase_add_test(tc, mm1_080);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
