/*
 * trace_engine: the engines a trace task can run on, by the names traces and reports use
 * (gpu, dla0, dla1, dla, pva, cpu). Its own file because budgets and metrics name engines
 * too, below the trace parser that uses them.
 */
#ifndef ORINSIM_TRACE_ENGINE_H
#define ORINSIM_TRACE_ENGINE_H

typedef enum trace_engine {
    ENG_GPU = 0,
    ENG_DLA0,
    ENG_DLA1,
    ENG_DLA,          /* whichever DLA is free */
    ENG_PVA,
    ENG_CPU,
    ENG_COUNT
} trace_engine_t;

const char *trace_engine_name(trace_engine_t e);

#endif
