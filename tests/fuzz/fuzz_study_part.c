/*
 * fuzz_study_part: libFuzzer target for study parts, the input of `orinsim study merge`
 * (soc/study/study_part.c).
 *
 * A part is a file like any other: truncated by a killed job, edited, from another
 * version. Every input must end in a clean error, or in a result that merges with itself
 * (each run kept once, the copy dropped), whose Pareto front and summary are computed,
 * and that written again as a part reads back as the same rows. Run it with
 * FUZZER=study_part tests/fuzz/run-fuzz.sh.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/study/study_result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The text of a part written from r. */
static char *written(const study_result_t *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert(f != NULL && study_part_write(f, r, "") == 0 && fclose(f) == 0);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    study_result_t parts[2], merged, back;
    char *buf, *again, *third;
    size_t len, len2, len3;
    int dropped, rows;
    diag_t d;

    if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
        abort();
    buf = malloc(size + 1);
    assert(buf != NULL);
    memcpy(buf, data, size);
    buf[size] = '\0';
    diag_clear(&d);
    if (study_part_parse("fuzz-part.json", buf, size, &parts[0], &d) != 0) {
        assert(d.set && parts[0].rows == NULL);
        return 0;
    }
    /* The same part twice: the second copy of every run is dropped. */
    again = written(&parts[0], &len2);
    assert(study_part_parse("fuzz-again.json", again, len2, &parts[1], &d) == 0);
    assert(parts[1].nrows == parts[0].nrows);
    rows = parts[0].nrows;
    if (study_merge(parts, 2, 0, &merged, &dropped, &d) == 0) {
        assert(merged.nrows + dropped == 2 * rows);
        for (int i = 1; i < merged.nrows; i++)
            assert(merged.rows[i - 1].index < merged.rows[i].index);
        study_pareto(&merged);
        study_summary(sink, &merged);
        third = written(&merged, &len3);
        assert(study_part_parse("fuzz-third.json", third, len3, &back, &d) == 0);
        assert(back.nrows == merged.nrows);
        study_result_free(&back);
        study_result_free(&merged);
    } else {
        assert(d.set);   /* two rows with one index and different ids */
    }
    study_result_free(&parts[1]);
    study_result_free(&parts[0]);
    (void)len;
    return 0;
}
