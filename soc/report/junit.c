/*
 * junit: JUnit XML output. See junit.h.
 *
 * The XML is written directly rather than through an XML library: the document is
 * small and fixed in shape, and the one delicate part, escaping text that comes from
 * users (trace names, paths, task ids, error messages), is junit_escape, tested on
 * markup, control characters and broken UTF-8 (tests/test_junit.c) and parsed back by
 * a real XML parser in tests/cli/ci_junit.sh.
 *
 * Attributes follow the schema the common consumers share (Jenkins, GitLab, the
 * Ant/Surefire JUnit XSD): testsuites and testsuite carry name, tests, failures, errors
 * and time; a testcase carries classname, name and time; a failure or error carries
 * message and type, with details as its text. Times are wall seconds and are 0 with
 * --reproducible, so the report is then byte-identical across runs.
 */
#include "soc/report/junit.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s whose code point XML 1.0 allows, or 0. */
static int xml_char(const unsigned char *s)
{
    uint32_t cp;
    int len;
    if (s[0] < 0x80) {
        cp = s[0];
        len = 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        cp = s[0] & 0x1Fu;
        len = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        cp = s[0] & 0x0Fu;
        len = 3;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        cp = s[0] & 0x07u;
        len = 4;
    } else {
        return 0;   /* a continuation byte, an overlong lead (C0, C1) or F5..FF */
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;   /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;   /* overlong, or past Unicode */
    if (cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
        (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000)
        return len;
    return 0;       /* other C0 controls, surrogates, U+FFFE, U+FFFF */
}

void junit_escape(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        int len;
        switch (*s) {
        case '&': fputs("&amp;", out); s++; continue;
        case '<': fputs("&lt;", out); s++; continue;
        case '>': fputs("&gt;", out); s++; continue;
        case '"': fputs("&quot;", out); s++; continue;
        case '\'': fputs("&apos;", out); s++; continue;
        case '\t': fputs("&#9;", out); s++; continue;
        case '\n': fputs("&#10;", out); s++; continue;
        case '\r': fputs("&#13;", out); s++; continue;
        default: break;
        }
        len = xml_char(s);
        if (len == 0) {
            fputs("\xEF\xBF\xBD", out);   /* U+FFFD REPLACEMENT CHARACTER */
            s++;
        } else {
            fwrite(s, 1, (size_t)len, out);
            s += len;
        }
    }
}

static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    junit_escape(out, value);
    fputc('"', out);
}

static int run_errors(const batch_run_t *r)
{
    return (r->report == NULL) + r->no_value;
}

static void run_suite(FILE *out, const batch_run_t *r)
{
    const char *label = batch_trace_label(r->trace);
    char name[512], cls[512], buf[2048];
    snprintf(name, sizeof name, "%s on %s %s", label, r->cfg->sku->name, r->cfg->mode->name);
    /* The class name is the suite's name: CI servers read dots in a class name as
     * packages (`nx16.15W` would become package nx16, class 15W), so dots become '_'. */
    snprintf(cls, sizeof cls, "%s", name);
    for (char *c = cls; *c; c++)
        if (*c == '.')
            *c = '_';

    fputs("  <testsuite", out);
    attr(out, "name", name);
    fprintf(out, " tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n",
            r->report ? 1 + r->nbudgets : 1, r->failed, run_errors(r), r->wall_s);
    fputs("    <properties>\n", out);
    fputs("      <property name=\"trace\"", out);
    attr(out, "value", r->trace->path);
    fputs("/>\n      <property name=\"sku\"", out);
    attr(out, "value", r->cfg->sku->name);
    fputs("/>\n      <property name=\"mode\"", out);
    attr(out, "value", r->cfg->mode->name);
    fputs("/>\n    </properties>\n", out);

    fputs("    <testcase", out);
    attr(out, "classname", cls);
    fprintf(out, " name=\"run\" time=\"%.3f\"", r->wall_s);
    if (r->report == NULL) {
        diag_format(&r->diag, buf, sizeof buf);
        fputs(">\n      <error", out);
        attr(out, "message", buf);
        attr(out, "type", r->rc == EXIT_INTERNAL ? "internal error" : "bad input");
        fputs(">", out);
        junit_escape(out, buf);
        fputs("</error>\n    </testcase>\n  </testsuite>\n", out);
        return;
    }
    fputs("/>\n", out);

    for (int i = 0; i < r->nbudgets; i++) {
        const batch_budget_t *b = &r->budgets[i];
        char desc[METRIC_NAME_LEN + 64], val[64], msg[512], where[600];
        budget_describe(&b->budget, desc, sizeof desc);
        fputs("    <testcase", out);
        attr(out, "classname", cls);
        attr(out, "name", desc);
        fputs(" time=\"0\"", out);
        if (b->status == BUDGET_PASS) {
            fputs("/>\n", out);
            continue;
        }
        if (b->budget.line > 0)
            snprintf(where, sizeof where, "%s:%d:%d", r->trace->path, b->budget.line,
                     b->budget.col);
        else
            snprintf(where, sizeof where, "the command line");
        if (b->status == BUDGET_FAIL) {
            metric_format(b->budget.metric.def->dim, b->value, val, sizeof val);
            snprintf(msg, sizeof msg, "value %s, budget %s", val, desc);
            fputs(">\n      <failure", out);
            attr(out, "message", msg);
            attr(out, "type", "budget");
            fputs(">", out);
            snprintf(buf, sizeof buf, "%s: value %s, budget %s (from %s)", name, val, desc,
                     where);
            junit_escape(out, buf);
            fputs("</failure>\n    </testcase>\n", out);
        } else {
            snprintf(msg, sizeof msg, "the run has no value for the metric of budget %s", desc);
            fputs(">\n      <error", out);
            attr(out, "message", msg);
            attr(out, "type", "bad input");
            fputs(">", out);
            snprintf(buf, sizeof buf, "%s: %s (from %s)", name, msg, where);
            junit_escape(out, buf);
            fputs("</error>\n    </testcase>\n", out);
        }
    }
    fputs("  </testsuite>\n", out);
}

int junit_write(FILE *out, const batch_run_t *runs, int n)
{
    int tests = 0, failures = 0, errors = 0;
    double time = 0;
    for (int i = 0; i < n; i++) {
        tests += runs[i].report ? 1 + runs[i].nbudgets : 1;
        failures += runs[i].failed;
        errors += run_errors(&runs[i]);
        time += runs[i].wall_s;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"orinsim\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                 "time=\"%.3f\">\n", tests, failures, errors, time);
    for (int i = 0; i < n; i++)
        run_suite(out, &runs[i]);
    fputs("</testsuites>\n", out);
    return ferror(out) ? -1 : 0;
}
