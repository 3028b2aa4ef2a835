/*
 * fuzz_study: libFuzzer target for study files, the input of `orinsim study`
 * (soc/study/study_file.c), and the plan they expand to (study_plan.c).
 *
 * Every input must end in a clean error (one diagnostic, an empty study) or a study whose
 * axes, metrics and objectives hold the limits the plan relies on. A study whose
 * workloads are all zoo networks and whose product is small is also planned (the SKU
 * files come from ORINSIM_CONFIG_DIR): every run's id is checked to be different from
 * the others', and the empty result's part is written and read back. Trace files are not
 * planned: an input must not make the fuzzer read the machine's files. Run it with
 * FUZZER=study tests/fuzz/run-fuzz.sh.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/study/study_result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const study_t *s)
{
    int64_t product = 1;
    assert(s->name[0] != '\0' && s->axes[STUDY_WORKLOAD].present);
    assert(s->nmetrics >= 1 && s->nmetrics <= STUDY_MAX_METRICS);
    assert(s->npareto == 0 || (s->npareto >= 2 && s->npareto <= STUDY_MAX_PARETO));
    for (int i = 0; i < s->npareto; i++)
        assert(s->pareto[i] >= 0 && s->pareto[i] < s->nmetrics);
    for (int a = 0; a < STUDY_AXES; a++) {
        const study_axis_t *ax = &s->axes[a];
        assert(!ax->present || (ax->n >= 1 && ax->n <= STUDY_MAX_VALUES && ax->v != NULL));
        if (ax->present)
            product *= ax->n;
        for (int i = 0; ax->present && i < ax->n; i++)
            assert(ax->v[i].text[0] != '\0' && strchr(ax->v[i].text, ',') == NULL);
    }
    for (int i = 0; i < s->axes[STUDY_WORKLOAD].n; i++)
        if (study_is_trace(s->axes[STUDY_WORKLOAD].v[i].text))
            return;
    if (product > 64)
        return;
    {
        study_plan_t p;
        study_result_t r, back;
        diag_t d;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        diag_clear(&d);
        if (study_plan(s, &p, &d) != 0) {
            assert(d.set);
            return;
        }
        assert(p.nruns >= 1 && p.ncolumns >= 3);
        for (int i = 0; i < p.nruns; i++)
            for (int j = 0; j < i; j++) {
                char a[2048], b[2048];
                study_run_id(&p, i, a, sizeof a);
                study_run_id(&p, j, b, sizeof b);
                assert(strcmp(a, b) != 0);
            }
        assert(study_result_init(&r, &p, &d) == 0);
        f = open_memstream(&buf, &len);
        assert(f != NULL && study_part_write(f, &r, "1/1") == 0 && fclose(f) == 0);
        assert(study_part_parse("fuzz-part.json", buf, len, &back, &d) == 0);
        assert(back.total == p.nruns && back.nrows == 0 && back.nmetrics == s->nmetrics &&
               strcmp(back.fingerprint, p.fingerprint) == 0);
        study_result_free(&back);
        study_result_free(&r);
        study_plan_free(&p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    study_t s;
    diag_t d;
    diag_clear(&d);
    if (study_parse("fuzz-study.yaml", (const char *)data, size, &s, &d) == 0)
        check(&s);
    else
        assert(d.set && s.axes[STUDY_WORKLOAD].v == NULL && s.budgets.v == NULL);
    study_free(&s);
    return 0;
}
