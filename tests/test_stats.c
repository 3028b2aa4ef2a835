/*
 * test_stats: exact nearest-rank percentiles, mean/min/max, and time-weighted
 * utilisation with peak tracking (stats.h).
 */
#include <check.h>
#include <stdlib.h>

#include "sim/stats.h"

START_TEST(test_percentiles_1_to_100)
{
    /* Samples 1..100 added in a scrambled order (37 is coprime to 100, so k*37 mod 100
     * visits every residue). Nearest rank: Pp = sample at rank ceil(p/100 x 100) = p,
     * so P50 = 50, P95 = 95, P99 = 99, P100 = 100, and P0 is the minimum, 1. */
    sim_dist_t d;
    sim_dist_init(&d);
    for (uint64_t k = 0; k < 100; k++)
        ck_assert_int_eq(sim_dist_add(&d, (k * 37) % 100 + 1), 0);
    ck_assert_uint_eq(sim_dist_count(&d), 100);
    ck_assert_uint_eq(sim_dist_pct(&d, 50), 50);
    ck_assert_uint_eq(sim_dist_pct(&d, 95), 95);
    ck_assert_uint_eq(sim_dist_pct(&d, 99), 99);
    ck_assert_uint_eq(sim_dist_pct(&d, 100), 100);
    ck_assert_uint_eq(sim_dist_pct(&d, 0), 1);
    /* P50.5: rank ceil(50.5) = 51. */
    ck_assert_uint_eq(sim_dist_pct(&d, 50.5), 51);
    /* Mean of 1..100 = 5050 / 100 = 50.5. */
    ck_assert_double_eq(sim_dist_mean(&d), 50.5);
    ck_assert_uint_eq(sim_dist_min(&d), 1);
    ck_assert_uint_eq(sim_dist_max(&d), 100);
    /* Adding after a query re-sorts: a new maximum shows up. */
    sim_dist_add(&d, 1000);
    ck_assert_uint_eq(sim_dist_max(&d), 1000);
    /* 101 samples: P99 = rank ceil(99.99) = 100, the old maximum 100. */
    ck_assert_uint_eq(sim_dist_pct(&d, 99), 100);
    sim_dist_free(&d);
}
END_TEST

START_TEST(test_percentile_decimal_p)
{
    /* 1..1000: P99.9 is rank ceil(99.9 x 1000 / 100) = 999 exactly; 99.9 is not exact in
     * binary, and the rank must not slip to 1000. */
    sim_dist_t d;
    sim_dist_init(&d);
    for (uint64_t k = 1000; k >= 1; k--)
        sim_dist_add(&d, k);
    ck_assert_uint_eq(sim_dist_pct(&d, 99.9), 999);
    ck_assert_uint_eq(sim_dist_pct(&d, 0.1), 1);
    ck_assert_uint_eq(sim_dist_pct(&d, 10), 100);
    sim_dist_free(&d);
}
END_TEST

START_TEST(test_small_and_empty)
{
    sim_dist_t d;
    sim_dist_init(&d);
    ck_assert_uint_eq(sim_dist_pct(&d, 50), 0);
    ck_assert_double_eq(sim_dist_mean(&d), 0.0);
    ck_assert_uint_eq(sim_dist_min(&d), 0);
    ck_assert_uint_eq(sim_dist_max(&d), 0);
    /* One sample: every percentile is that sample. */
    sim_dist_add(&d, 7);
    ck_assert_uint_eq(sim_dist_pct(&d, 0), 7);
    ck_assert_uint_eq(sim_dist_pct(&d, 99), 7);
    /* {7, 3}: P50 = rank ceil(1) = 1 -> 3; P51 = rank ceil(1.02) = 2 -> 7. */
    sim_dist_add(&d, 3);
    ck_assert_uint_eq(sim_dist_pct(&d, 50), 3);
    ck_assert_uint_eq(sim_dist_pct(&d, 51), 7);
    ck_assert_double_eq(sim_dist_mean(&d), 5.0);
    sim_dist_free(&d);
    ck_assert_uint_eq(sim_dist_count(&d), 0);
}
END_TEST

START_TEST(test_large_mean_exact)
{
    /* Three samples near 2^63: their sum overflows 64 bits but not the long double
     * accumulator; the mean of {2^63 - 1, 2^63 - 1, 2^63 - 1} is 2^63 - 1 ~ 9.2234e18. */
    sim_dist_t d;
    sim_dist_init(&d);
    for (int k = 0; k < 3; k++)
        sim_dist_add(&d, UINT64_C(9223372036854775807));
    ck_assert_double_eq_tol(sim_dist_mean(&d), 9223372036854775807.0, 1e4);
    sim_dist_free(&d);
}
END_TEST

START_TEST(test_utilisation)
{
    /* Level 0 on [0, 10 ns), 4 on [10, 30 ns), 1 from 30 ns on.
     * Average over [0, 40 ns] = (0x10 + 4x20 + 1x10) / 40 = 90 / 40 = 2.25.
     * Over [0, 30 ns] = 80 / 30 = 2.6667. Peak = 4. */
    sim_util_t u;
    sim_util_init(&u, 0);
    sim_util_set(&u, 10 * SIM_NS, 4.0);
    sim_util_set(&u, 30 * SIM_NS, 1.0);
    ck_assert_double_eq_tol(sim_util_avg(&u, 0, 40 * SIM_NS), 2.25, 1e-12);
    ck_assert_double_eq_tol(sim_util_avg(&u, 0, 30 * SIM_NS), 80.0 / 30.0, 1e-12);
    ck_assert_double_eq(sim_util_peak(&u), 4.0);
    ck_assert_double_eq(u.peak, 4.0);
    /* avg does not modify the record: asking twice gives the same answer. */
    ck_assert_double_eq_tol(sim_util_avg(&u, 0, 40 * SIM_NS), 2.25, 1e-12);
    /* An empty interval averages to 0. */
    ck_assert_double_eq(sim_util_avg(&u, 40 * SIM_NS, 40 * SIM_NS), 0.0);
}
END_TEST

START_TEST(test_utilisation_offset_start)
{
    /* Recording starts at t0 = 1 ms with level 0.5 set at once, busy 1.0 from 2 ms:
     * over [1 ms, 3 ms] the average is (0.5 x 1 + 1.0 x 1) / 2 = 0.75. */
    sim_util_t u;
    sim_util_init(&u, 1 * SIM_MS);
    sim_util_set(&u, 1 * SIM_MS, 0.5);
    sim_util_set(&u, 2 * SIM_MS, 1.0);
    ck_assert_double_eq_tol(sim_util_avg(&u, 1 * SIM_MS, 3 * SIM_MS), 0.75, 1e-12);
    ck_assert_double_eq(sim_util_peak(&u), 1.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, test_percentiles_1_to_100);
    tcase_add_test(tc, test_percentile_decimal_p);
    tcase_add_test(tc, test_small_and_empty);
    tcase_add_test(tc, test_large_mean_exact);
    tcase_add_test(tc, test_utilisation);
    tcase_add_test(tc, test_utilisation_offset_start);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
