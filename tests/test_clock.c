/*
 * test_clock: cycle <-> picosecond conversion in a clock domain (clock.h), including a
 * frequency change in the middle of a run.
 */
#include <check.h>
#include <stdlib.h>

#include "sim/clock.h"

START_TEST(test_fixed_frequency)
{
    sim_clock_t c;
    sim_clock_init(&c, 1.3e9);
    ck_assert_double_eq(sim_clock_hz(&c), 1.3e9);
    /* 1 us at 1.3 GHz = 1e-6 s x 1.3e9 /s = 1300 cycles. */
    ck_assert_double_eq_tol(sim_clock_cycles_at(&c, 1 * SIM_US), 1300.0, 1e-9);
    ck_assert_double_eq_tol(sim_clock_ps_to_cycles(&c, 1 * SIM_US), 1300.0, 1e-9);
    /* 13 cycles / 1.3e9 Hz = 10 ns exactly. */
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 13), 10 * SIM_NS);
    /* 1 cycle = 769.23 ps, rounded up to 770. */
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 1), 770);
    /* 68.9 cycles = 68.9 / 1.3e9 s = 53000 ps exactly; the floating-point quotient is
     * 53000.00000000001, which must not round up to 53001. */
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 68.9), 53000);
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 0), 0);
}
END_TEST

START_TEST(test_frequency_change)
{
    sim_clock_t c;
    sim_clock_init(&c, 1e9);
    /* 0..1 us at 1 GHz: 1e6 ps x 1e9 / 1e12 = 1000 cycles. */
    ck_assert_double_eq(sim_clock_cycles_at(&c, 1 * SIM_US), 1000.0);
    sim_clock_set_hz(&c, 1 * SIM_US, 500e6);
    ck_assert_double_eq(sim_clock_hz(&c), 500e6);
    /* The count is continuous across the change: still 1000 at 1 us. */
    ck_assert_double_eq(sim_clock_cycles_at(&c, 1 * SIM_US), 1000.0);
    /* 1..3 us at 500 MHz: 2e6 ps x 5e8 / 1e12 = 1000 more, 2000 in all. */
    ck_assert_double_eq(sim_clock_cycles_at(&c, 3 * SIM_US), 2000.0);
    /* Durations use the current frequency: 1000 cycles / 5e8 Hz = 2 us. */
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 1000), 2 * SIM_US);
    ck_assert_double_eq(sim_clock_ps_to_cycles(&c, 2 * SIM_US), 1000.0);
    /* Up to 2 GHz at 3 us: 3..4 us adds 1e6 x 2e9 / 1e12 = 2000, 4000 in all. */
    sim_clock_set_hz(&c, 3 * SIM_US, 2e9);
    ck_assert_double_eq(sim_clock_cycles_at(&c, 4 * SIM_US), 4000.0);
    /* 0.5 cycle at 2 GHz = 250 ps. */
    ck_assert_uint_eq(sim_clock_cycles_to_ps(&c, 0.5), 250);
}
END_TEST

START_TEST(test_long_run_precision)
{
    /* An hour at 1.3 GHz: 3600 s x 1.3e9 = 4.68e12 cycles, exact in a double (< 2^53),
     * even after 3600 frequency changes (to the same 1.3 GHz), each folding the count. */
    sim_clock_t c;
    sim_clock_init(&c, 1.3e9);
    for (int k = 1; k <= 3600; k++)
        sim_clock_set_hz(&c, (sim_time_t)k * SIM_S, 1.3e9);
    ck_assert_double_eq(sim_clock_cycles_at(&c, 3600 * SIM_S), 4.68e12);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, test_fixed_frequency);
    tcase_add_test(tc, test_frequency_change);
    tcase_add_test(tc, test_long_run_precision);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
