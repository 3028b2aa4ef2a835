/*
 * fuzz_trace: libFuzzer target for the trace parser (soc/trace/trace.c).
 *
 * Every input must end in a clean error or a trace that frees cleanly; AddressSanitizer
 * and UBSan (enabled by -DORINSIM_FUZZ=ON) catch the rest. A successful parse is also
 * checked against the invariants the replay relies on: the op limit, resolved `after`
 * indices, and `topo` being a permutation that puts every task after its predecessors.
 * See tests/fuzz/README.md for how to run it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace.h"

static void check(const trace_t *t)
{
    int64_t ops = 0;
    int *rank = calloc((size_t)t->ntasks, sizeof *rank);
    assert(rank != NULL);
    assert(t->ntasks >= 1 && t->ntasks <= TRACE_MAX_TASKS);
    for (int i = 0; i < t->ntasks; i++) {
        int k = t->topo[i];
        assert(k >= 0 && k < t->ntasks && rank[k] == 0);
        rank[k] = i + 1;
    }
    for (int i = 0; i < t->ntasks; i++) {
        const trace_task_t *task = &t->tasks[i];
        assert(task->nops >= 1);
        ops += task->nops;
        for (int j = 0; j < task->nafter; j++) {
            int a = task->after[j];
            assert(a >= 0 && a < t->ntasks && a != i && rank[a] < rank[i]);
        }
        for (int j = 0; j < task->nops; j++) {
            const trace_op_t *op = &task->ops[j];
            assert(op->kind >= 0 && op->kind < OP_KIND_COUNT &&
                   (op->kind == OP_CPU) == (task->engine == ENG_CPU));
            /* distributions the replay draws from exist */
            assert(op->work_rand >= 0 && op->work_rand <= t->nrands);
            assert(op->duration_rand >= 0 && op->duration_rand <= t->nrands);
            assert(!op->duration_rand || op->u.cpu.duration_ps > 0);
        }
    }
    for (int i = 0; i < t->nrands; i++)
        assert(t->rands[i].kind != RAND_HISTOGRAM ||
               (t->rands[i].nbins >= 1 && t->rands[i].cum[t->rands[i].nbins - 1] == 1.0));
    assert(t->arrival.kind != ARRIVE_FILE);   /* a parse from memory names no file that exists */
    for (int i = 0; i < t->ninterf; i++)
        assert(t->interf[i].every_rand >= 1 && t->interf[i].every_rand <= t->nrands &&
               t->interf[i].length_rand >= 1 && t->interf[i].length_rand <= t->nrands);
    assert(ops <= TRACE_MAX_OPS);
    free(rank);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trace_t t;
    diag_t d;
    diag_clear(&d);
    if (trace_parse("fuzz.yaml", (const char *)data, size, &t, &d) == 0)
        check(&t);
    else
        assert(d.set && t.ntasks == 0 && t.tasks == NULL);
    trace_free(&t);
    return 0;
}
