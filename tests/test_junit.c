/*
 * Tests of the JUnit XML writer (soc/report/junit.c).
 *
 * Escaping is specified by XML 1.0: the markup characters become entities; tab, newline
 * and carriage return become character references so that attribute values keep them;
 * Char excludes the other C0 controls, the surrogates and U+FFFE/U+FFFF, and a
 * document must be well-formed UTF-8, so each such byte becomes U+FFFD (EF BF BD).
 * The report's counts follow from the runs: tests = 1 (the run) + its budgets.
 * tests/cli/ci_junit.sh parses real reports back with an XML parser.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/report/junit.h"

#define FFFD "\xEF\xBF\xBD"

static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    junit_escape(f, s);
    fclose(f);
    return buf;
}

static void expect_escape(const char *in, const char *want)
{
    char *got = escaped(in);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(escape_markup)
{
    expect_escape("a <= b && c > \"d\" 'e'", "a &lt;= b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;");
    expect_escape("plain-text_1.2", "plain-text_1.2");
    expect_escape("", "");
}
END_TEST

START_TEST(escape_whitespace_and_controls)
{
    expect_escape("a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
    /* U+0001, U+001B (escape) and U+001F are not XML characters; U+007F is. */
    expect_escape("x\x01y\x1b[0mz\x1f", "x" FFFD "y" FFFD "[0mz" FFFD);
    expect_escape("\x7f", "\x7f");
}
END_TEST

START_TEST(escape_utf8)
{
    /* Valid sequences stay: e-acute (2 bytes), U+20AC euro (3), U+1F600 (4). */
    expect_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    /* A lone continuation byte, an overlong '/' (C0 AF), a truncated sequence at the end. */
    expect_escape("a\x80" "b", "a" FFFD "b");
    expect_escape("\xC0\xAF", FFFD FFFD);
    expect_escape("x\xE2\x82", "x" FFFD FFFD);
    /* An overlong 3-byte form (E0 80 AF), a UTF-16 surrogate (ED A0 80), U+FFFE,
     * a code point past U+10FFFF (F4 90 80 80), and F5, which never starts a sequence. */
    expect_escape("\xE0\x80\xAF", FFFD FFFD FFFD);
    expect_escape("\xED\xA0\x80", FFFD FFFD FFFD);
    expect_escape("\xEF\xBF\xBE", FFFD FFFD FFFD);
    expect_escape("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
    expect_escape("\xF5", FFFD);
    /* The last characters XML allows below the excluded ranges stay. */
    expect_escape("\xED\x9F\xBF\xEF\xBF\xBD", "\xED\x9F\xBF\xEF\xBF\xBD");
}
END_TEST

/* A report of one run with two budgets, one failed. */
START_TEST(report_counts)
{
    trace_t t;
    sku_t sku;
    sku_mode_t mode;
    soc_config_t cfg;
    batch_run_t r[2];
    batch_budget_t b[2];
    diag_t d;
    budget_list_t l = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    memset(&t, 0, sizeof t);
    memset(&sku, 0, sizeof sku);
    memset(&mode, 0, sizeof mode);
    memset(r, 0, sizeof r);
    memset(b, 0, sizeof b);
    snprintf(t.path, sizeof t.path, "traces/a&b.yaml");
    snprintf(t.name, sizeof t.name, "a<b>");
    snprintf(sku.name, sizeof sku.name, "agx32");
    snprintf(mode.name, sizeof mode.name, "30W");
    cfg = (soc_config_t){.sku = &sku, .mode = &mode};
    diag_clear(&d);
    ck_assert_int_eq(budget_parse_arg("frame_latency.p99<=33ms", &l, &d), 0);
    ck_assert_int_eq(budget_parse_arg("throughput_fps>=60", &l, &d), 0);
    b[0] = (batch_budget_t){.budget = l.v[0], .status = BUDGET_PASS, .value = 4.5};
    b[1] = (batch_budget_t){.budget = l.v[1], .status = BUDGET_FAIL, .value = 30};
    r[0] = (batch_run_t){.trace = &t, .cfg = &cfg, .report = json_object_new_object(),
                         .budgets = b, .nbudgets = 2, .failed = 1, .wall_s = 0.25};
    /* A second run that could not be simulated. */
    r[1] = (batch_run_t){.trace = &t, .cfg = &cfg, .rc = EXIT_BAD_INPUT};
    diag_error(&r[1].diag, "x.yaml", 3, 4, "no DLA on this module");

    f = open_memstream(&buf, &len);
    ck_assert_int_eq(junit_write(f, r, 2), 0);
    fclose(f);
    /* 1 run + 2 budgets, and 1 run: 4 tests, 1 failure, 1 error, 0.25 s. */
    ck_assert_ptr_nonnull(strstr(buf, "<testsuites name=\"orinsim\" tests=\"4\" failures=\"1\" "
                                      "errors=\"1\" time=\"0.250\">"));
    ck_assert_ptr_nonnull(strstr(buf, "<testsuite name=\"a&lt;b&gt; on agx32 30W\" tests=\"3\" "
                                      "failures=\"1\" errors=\"0\""));
    ck_assert_ptr_nonnull(strstr(buf, "name=\"throughput_fps &gt;= 60\" time=\"0\">\n"
                                      "      <failure message=\"value 30.00, budget "
                                      "throughput_fps &gt;= 60\" type=\"budget\">"));
    ck_assert_ptr_nonnull(strstr(buf, "<property name=\"trace\" value=\"traces/a&amp;b.yaml\"/>"));
    ck_assert_ptr_nonnull(strstr(buf, "<error message=\"x.yaml:3:4: error: no DLA on this "
                                      "module\" type=\"bad input\">"));
    ck_assert_ptr_null(strstr(buf, "a<b"));
    free(buf);
    json_object_put(r[0].report);
    budget_list_free(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("junit");
    TCase *tc = tcase_create("junit");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, escape_markup);
    tcase_add_test(tc, escape_whitespace_and_controls);
    tcase_add_test(tc, escape_utf8);
    tcase_add_test(tc, report_counts);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
