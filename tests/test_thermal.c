/*
 * Thermal zones against their closed-form solution. A lumped RC node under constant power
 * P from ambient follows T(t) = T_amb + P R (1 - exp(-t / RC)); cooling with no power,
 * T(t) = T_amb + (T0 - T_amb) exp(-t / RC). The model steps with the exact solution, so it
 * must match at any step size.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "models/thermal.h"

static thermal_spec_t spec(void)
{
    thermal_spec_t s = {{1.5, 2.0, 3.0, 4.0}, {20, 15, 10, 10}, 99, 2, 104.5, 1, 0, 0};
    return s;
}

static double closed(double amb, double p, double r, double c, double t)
{
    return amb + p * r * (1.0 - exp(-t / (r * c)));
}

START_TEST(test_heating_matches_closed_form)
{
    /* GPU zone: R = 1.5 K/W, C = 20 J/K, tau = 30 s. 30 W from 50 C: steady 95 C, at
     * t = tau 50 + 45 x (1 - 1/e) = 78.45 C. Stepped at 10 ms for 300 s. */
    thermal_spec_t s = spec();
    thermal_t th;
    double p[THERMAL_ZONES] = {30, 10, 5, 2};
    thermal_init(&th, &s, 50);
    for (int i = 1; i <= 30000; i++) {
        double t = i * 0.01;
        thermal_step(&th, p, 0.01);
        for (int z = 0; z < THERMAL_ZONES; z++)
            ck_assert_double_eq_tol(th.t_c[z], closed(50, p[z], s.r_kpw[z], s.c_jpk[z], t), 1e-9);
        if (i == 3000)
            ck_assert_double_eq_tol(th.t_c[TZ_GPU], 50 + 45 * (1 - exp(-1)), 1e-9);
    }
    ck_assert_double_eq_tol(thermal_steady_c(&th, TZ_GPU, 30), 95, 1e-12);
    ck_assert_double_eq_tol(th.peak_c[TZ_GPU], th.t_c[TZ_GPU], 1e-12);
}
END_TEST

START_TEST(test_step_size_does_not_matter)
{
    /* One 60 s step and 6000 steps of 10 ms land on the same point of the curve. */
    thermal_spec_t s = spec();
    thermal_t a, b;
    double p[THERMAL_ZONES] = {25, 12, 0, 3};
    thermal_init(&a, &s, 25);
    thermal_init(&b, &s, 25);
    thermal_step(&a, p, 60);
    for (int i = 0; i < 6000; i++)
        thermal_step(&b, p, 0.01);
    for (int z = 0; z < THERMAL_ZONES; z++) {
        ck_assert_double_eq_tol(a.t_c[z], b.t_c[z], 1e-9);
        ck_assert_double_eq_tol(a.t_c[z], closed(25, p[z], s.r_kpw[z], s.c_jpk[z], 60), 1e-9);
    }
}
END_TEST

START_TEST(test_cooling)
{
    /* Heat the CPU zone (R 2, C 15, tau 30 s) to its 10 W steady state (45 C from 25 C),
     * then remove the power: after 30 s it is 25 + 20/e = 32.36 C; the peak stays. */
    thermal_spec_t s = spec();
    thermal_t th;
    double p[THERMAL_ZONES] = {0, 10, 0, 0}, off[THERMAL_ZONES] = {0};
    thermal_init(&th, &s, 25);
    thermal_step(&th, p, 1e4);
    ck_assert_double_eq_tol(th.t_c[TZ_CPU], 45, 1e-9);
    thermal_step(&th, off, 30);
    ck_assert_double_eq_tol(th.t_c[TZ_CPU], 25 + 20 * exp(-1), 1e-9);
    ck_assert_double_eq_tol(th.peak_c[TZ_CPU], 45, 1e-9);
    ck_assert_double_eq_tol(th.t_c[TZ_CV], 25, 1e-12);
}
END_TEST

/* In an enclosure of R_e = 5 K/W, C_e = 450 J/K at 35 C, 4 W into the GPU zone (R 1.5)
 * and 2 W into the CPU zone (R 2.0): once settled the air carries all 6 W, so it sits at
 * 35 + 6 x 5 = 65 C, the GPU at 65 + 4 x 1.5 = 71 C and the CPU at 65 + 2 x 2 = 69 C.
 * After 10 time constants of the slowest node (R_e C_e = 2250 s), 1 s steps, the error
 * is well under 0.01 K. */
START_TEST(test_enclosure_steady_state)
{
    thermal_spec_t s = spec();
    thermal_t th;
    double p[THERMAL_ZONES] = {4, 2, 0, 0};
    s.enclosure_r_kpw = 5;
    s.enclosure_c_jpk = 450;
    thermal_init(&th, &s, 35);
    for (int i = 0; i < 22500; i++)
        thermal_step(&th, p, 1.0);
    ck_assert_double_eq_tol(th.air_c, 65.0, 0.01);
    ck_assert_double_eq_tol(th.t_c[TZ_GPU], 71.0, 0.01);
    ck_assert_double_eq_tol(th.t_c[TZ_CPU], 69.0, 0.01);
    ck_assert_double_eq_tol(th.t_c[TZ_CV], 65.0, 0.01);
    ck_assert_double_eq_tol(th.peak_air_c, th.air_c, 1e-6);
}
END_TEST

START_TEST(test_hottest_and_names)
{
    thermal_spec_t s = spec();
    thermal_t th;
    double t, p[THERMAL_ZONES] = {1, 1, 20, 1};
    thermal_init(&th, &s, -40);   /* the Industrial module's coldest rating */
    thermal_step(&th, p, 1e4);
    /* CV: -40 + 20 x 3 = 20 C is the hottest; GPU -38.5, CPU -38, SoC -36. */
    ck_assert_int_eq(thermal_hottest(&th, &t), TZ_CV);
    ck_assert_double_eq_tol(t, 20, 1e-9);
    ck_assert_str_eq(thermal_zone_name(TZ_GPU), "gpu");
    ck_assert_str_eq(thermal_zone_name(TZ_SOC), "soc");
    ck_assert_str_eq(thermal_zone_name(9), "?");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("thermal");
    TCase *tc = tcase_create("rc");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, test_heating_matches_closed_form);
    tcase_add_test(tc, test_step_size_does_not_matter);
    tcase_add_test(tc, test_cooling);
    tcase_add_test(tc, test_hottest_and_names);
    tcase_add_test(tc, test_enclosure_steady_state);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
