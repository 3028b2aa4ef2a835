/*
 * trace_engine: engine names. See trace_engine.h.
 */
#include "soc/trace/trace_engine.h"

static const char *const ENGINE_NAMES[ENG_COUNT] = {"gpu", "dla0", "dla1", "dla", "pva", "cpu"};

const char *trace_engine_name(trace_engine_t e)
{
    return (e >= 0 && e < ENG_COUNT) ? ENGINE_NAMES[e] : "?";
}
