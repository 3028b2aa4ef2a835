/*
 * Tests of a study's results (soc/study/study_part.c, study_out.c) on rows made by hand.
 *
 * The Pareto front is checked against fronts worked out on paper; a part written and
 * read back must hold the same doubles bit for bit (the merged result of shards must be
 * the result of one process); a merge keeps each run once, in index order, and refuses
 * parts of two studies and a run with two ids. tests/cli/study_*.sh run whole studies.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/study/study_result.h"

/* A result with two metrics, objectives as given (metric names from the metric table),
 * one budget, and no rows. */
static void header(study_result_t *r, const char *m0, const char *m1, int total)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "t");
    snprintf(r->fingerprint, sizeof r->fingerprint, "0123456789abcdef");
    r->total = total;
    r->ncolumns = 1;
    snprintf(r->columns[0], sizeof r->columns[0], "workload");
    r->nmetrics = 2;
    snprintf(r->metrics[0], sizeof r->metrics[0], "%s", m0);
    snprintf(r->metrics[1], sizeof r->metrics[1], "%s", m1);
    r->npareto = 2;
    r->pareto[0] = 0;
    r->pareto[1] = 1;
    r->nbudgets = 1;
    r->budgets = calloc(1, sizeof *r->budgets);
    r->budgets[0] = strdup("frame_latency.p99 <= 33 ms");
}

static void row(study_result_t *r, int index, study_status_t st, double a, double b)
{
    study_row_t w;
    char id[32];
    memset(&w, 0, sizeof w);
    ck_assert_int_eq(study_row_alloc(r, &w), 0);
    snprintf(id, sizeof id, "workload=w%d", index);
    w.index = index;
    w.id = strdup(id);
    w.param[0] = strdup(id + 9);
    w.status = st;
    w.metric[0] = a;
    w.metric[1] = b;
    w.has[0] = w.has[1] = st != STUDY_RUN_FAILED;
    w.budget[0] = st == STUDY_RUN_FAILED ? STUDY_BUDGET_NOT_RUN : STUDY_BUDGET_PASS;
    w.bvalue[0] = b;
    if (st == STUDY_RUN_FAILED)
        w.error = strdup("error: it failed");
    ck_assert_int_eq(study_result_take(r, &w), 0);
}

/* Energy (lower better) against p99 (lower better):
 *   0 (1, 5)  1 (2, 4)  2 (2, 6)  3 (3, 3)  4 (1, 5)  5 (0.5, 9) failed  6 (4, 4)
 * 2 is dominated by 1 (2 <= 2, 4 < 6); 6 by 3 (3 < 4, 3 < 4); 0 and 4 are equal and
 * dominated by nobody, so both are on the front; 5 failed, so it is on no front, though
 * its (0.5, 9) would be on it (the lowest energy of all). */
START_TEST(pareto_lower_lower)
{
    study_result_t r;
    static const int want[] = {1, 1, 0, 1, 1, 0, 0};
    header(&r, "energy_per_frame", "frame_latency.p99", 7);
    row(&r, 0, STUDY_RUN_OK, 1, 5);
    row(&r, 1, STUDY_RUN_OK, 2, 4);
    row(&r, 2, STUDY_RUN_OK, 2, 6);
    row(&r, 3, STUDY_RUN_OK, 3, 3);
    row(&r, 4, STUDY_RUN_OK, 1, 5);
    row(&r, 5, STUDY_RUN_FAILED, 0.5, 9);
    row(&r, 6, STUDY_RUN_OK, 4, 4);
    study_pareto(&r);
    for (int i = 0; i < 7; i++)
        ck_assert_msg(r.rows[i].pareto == want[i], "row %d: pareto %d", i, r.rows[i].pareto);
    study_result_free(&r);
}
END_TEST

/* Throughput (higher better) against energy (lower better):
 *   0 (100, 2)  1 (200, 3)  2 (150, 3)  3 (200, 2.5)  4 (50, 1)  thermal 5 (300, 1)
 * 1 is dominated by 3 (200 >= 200, 2.5 < 3); 2 by 3 (200 > 150, 2.5 < 3); 0, 3 and 4
 * trade throughput for energy; 5 ended in thermal shutdown and is not on the front. */
START_TEST(pareto_higher_lower)
{
    study_result_t r;
    static const int want[] = {1, 0, 0, 1, 1, 0};
    header(&r, "throughput_fps", "energy_per_frame", 6);
    row(&r, 0, STUDY_RUN_OK, 100, 2);
    row(&r, 1, STUDY_RUN_OK, 200, 3);
    row(&r, 2, STUDY_RUN_OK, 150, 3);
    row(&r, 3, STUDY_RUN_OK, 200, 2.5);
    row(&r, 4, STUDY_RUN_OK, 50, 1);
    row(&r, 5, STUDY_RUN_THERMAL, 300, 1);
    study_pareto(&r);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(r.rows[i].pareto == want[i], "row %d: pareto %d", i, r.rows[i].pareto);
    study_result_free(&r);
}
END_TEST

static char *part_text(const study_result_t *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(study_part_write(f, r, "1/2"), 0);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

/* 0.1 + 0.2 is 0.30000000000000004 in binary64, 1/3 has no short decimal form, and
 * 5e-324 is the smallest subnormal: each must read back as the same bits. */
START_TEST(part_round_trip_exact)
{
    study_result_t r, back;
    diag_t d;
    size_t len;
    char *text;
    double a = 0.1 + 0.2, b = 1.0 / 3.0;
    header(&r, "energy_per_frame", "frame_latency.p99", 3);
    row(&r, 0, STUDY_RUN_OK, a, b);
    row(&r, 2, STUDY_RUN_OK, 5e-324, 1e308);
    row(&r, 1, STUDY_RUN_FAILED, 0, 0);
    text = part_text(&r, &len);
    diag_clear(&d);
    ck_assert_int_eq(study_part_parse("t.json", text, len, &back, &d), 0);
    ck_assert_int_eq(back.nrows, 3);
    ck_assert(memcmp(&back.rows[0].metric[0], &a, sizeof a) == 0);
    ck_assert(memcmp(&back.rows[0].metric[1], &b, sizeof b) == 0);
    ck_assert(back.rows[1].metric[0] == 5e-324 && back.rows[1].metric[1] == 1e308);
    ck_assert_int_eq(back.rows[2].status, STUDY_RUN_FAILED);
    ck_assert_str_eq(back.rows[2].error, "error: it failed");
    ck_assert_int_eq(back.rows[2].has[0], 0);
    ck_assert_int_eq(back.rows[2].budget[0], STUDY_BUDGET_NOT_RUN);
    study_result_free(&back);
    study_result_free(&r);
}
END_TEST

/* Two parts of a 4-run study, run 2 in both (a shard run again): 4 rows in index order,
 * one dropped. Without run 3 the merge is an error unless partial. */
START_TEST(merge_dedupe_and_missing)
{
    study_result_t parts[2], out;
    diag_t d;
    int dropped;
    header(&parts[0], "energy_per_frame", "frame_latency.p99", 4);
    header(&parts[1], "energy_per_frame", "frame_latency.p99", 4);
    row(&parts[0], 2, STUDY_RUN_OK, 1, 1);
    row(&parts[0], 0, STUDY_RUN_OK, 2, 2);
    row(&parts[1], 3, STUDY_RUN_OK, 3, 3);
    row(&parts[1], 2, STUDY_RUN_OK, 1, 1);
    row(&parts[1], 1, STUDY_RUN_OK, 4, 4);
    diag_clear(&d);
    ck_assert_int_eq(study_merge(parts, 2, 1, &out, &dropped, &d), 0);
    ck_assert_int_eq(out.nrows, 4);
    ck_assert_int_eq(dropped, 1);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(out.rows[i].index, i);
    study_result_free(&out);
    study_result_free(&parts[0]);
    study_result_free(&parts[1]);

    header(&parts[0], "energy_per_frame", "frame_latency.p99", 4);
    row(&parts[0], 0, STUDY_RUN_OK, 1, 1);
    row(&parts[0], 2, STUDY_RUN_OK, 1, 1);
    diag_clear(&d);
    ck_assert_int_eq(study_merge(parts, 1, 1, &out, &dropped, &d), DIAG_ERR);
    ck_assert_msg(strstr(d.msg, "2 of 4 runs are in no part (the first: run 1)"), "%s", d.msg);
    ck_assert_int_eq(study_merge(parts, 1, 0, &out, &dropped, &d), 0);
    ck_assert_int_eq(out.nrows, 2);
    study_result_free(&out);
    study_result_free(&parts[0]);
}
END_TEST

START_TEST(merge_refuses_other_study)
{
    study_result_t parts[2], out;
    diag_t d;
    int dropped;
    header(&parts[0], "energy_per_frame", "frame_latency.p99", 2);
    header(&parts[1], "energy_per_frame", "frame_latency.p99", 2);
    parts[1].fingerprint[0] = 'f';
    diag_clear(&d);
    ck_assert_int_eq(study_merge(parts, 2, 0, &out, &dropped, &d), DIAG_ERR);
    ck_assert_msg(strstr(d.msg, "part 2 is of another study"), "%s", d.msg);
    study_result_free(&parts[1]);
    /* the same index with another id */
    header(&parts[1], "energy_per_frame", "frame_latency.p99", 2);
    row(&parts[0], 1, STUDY_RUN_OK, 1, 1);
    row(&parts[1], 1, STUDY_RUN_OK, 1, 1);
    free(parts[1].rows[0].id);
    parts[1].rows[0].id = strdup("workload=other");
    diag_clear(&d);
    ck_assert_int_eq(study_merge(parts, 2, 0, &out, &dropped, &d), DIAG_ERR);
    ck_assert_msg(strstr(d.msg, "run 1 is 'workload=w1' in one part and 'workload=other'"),
                  "%s", d.msg);
    study_result_free(&parts[0]);
    study_result_free(&parts[1]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("study");
    TCase *tc = tcase_create("results");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, pareto_lower_lower);
    tcase_add_test(tc, pareto_higher_lower);
    tcase_add_test(tc, part_round_trip_exact);
    tcase_add_test(tc, merge_dedupe_and_missing);
    tcase_add_test(tc, merge_refuses_other_study);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
