/*
 * fuzz_profile: libFuzzer target for TensorRT layer profiles, the input of `orinsim
 * profile` (soc/measure/profile.c).
 *
 * Each input is written to a file and read as a profile (json-c, then the layer fields
 * and, for an error, the scanner that finds the bad element's line). One that loads is
 * taken the whole way `profile` takes it: a small trace whose op names look like a
 * network's modules is simulated on agx64, the layers' node names are matched against
 * them, and the table and the JSON are printed (to /dev/null). Every input must end in a
 * clean error or a printed table. Run it with FUZZER=profile tests/fuzz/run-fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_file.h"
#include "soc/measure/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TRACE[] =
    "orinsim: 1\n"
    "tasks:\n"
    "  - id: net\n"
    "    engine: gpu\n"
    "    ops:\n"
    "      - {op: conv, name: model.0, input: [1, 3, 64, 64], filters: 16, kernel: 3,"
    " activation: silu}\n"
    "      - op: repeat\n"
    "        name: model.1.m.0-1\n"
    "        count: 2\n"
    "        ops:\n"
    "          - {op: conv, name: model.1.m.0-1.cv1, input: [1, 16, 62, 62], filters: 16,"
    " kernel: 1}\n"
    "          - {op: eltwise, name: model.1.m.0-1.add, input: [1, 16, 62, 62]}\n"
    "      - {op: pool, name: model.2.m, input: [1, 16, 62, 62], kernel: 5, stride: 1, padding: 2}\n"
    "      - {op: pool, name: model.2.m, input: [1, 16, 62, 62], kernel: 5, stride: 1, padding: 2}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sku_t sku;
    static soc_config_t cfg;
    static trace_t trace;
    static FILE *sink;
    static int ready;
    const char *path;
    profile_t p;
    diag_t d;

    if (!ready) {
        diag_clear(&d);
        if ((sink = fopen("/dev/null", "w")) == NULL || sku_load("agx64", &sku, &d) != 0 ||
            sku_resolve(&sku, NULL, &cfg, &d) != 0 ||
            trace_parse("fuzz-profile.yaml", TRACE, strlen(TRACE), &trace, &d) != 0) {
            diag_print(&d);
            abort();
        }
        ready = 1;
    }
    if ((path = fuzz_write_input("profile", data, size)) == NULL)
        return 0;
    diag_clear(&d);
    if (profile_load(path, &p, &d) == 0 && profile_simulate(&cfg, &trace, &p, &d) == 0 &&
        profile_match(&p) == 0) {
        profile_print(sink, &p, "fuzz-profile.yaml", "agx64", cfg.mode->name);
        profile_write_json(sink, &p, "fuzz-profile.yaml", "agx64", cfg.mode->name);
    }
    profile_free(&p);
    return 0;
}
