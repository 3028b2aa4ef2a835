/*
 * fixtures: pieces several test programs share. Header-only: each test is its own
 * executable, so the functions are static.
 *
 *   fixture_agx_dla()       an AGX Orin NVDLA v2 at its MAXN clock, overheads left at zero
 *                           (the tests that need them set them)
 *   scratch_setup(tag)      a fresh directory under /tmp for files a test writes, with
 *                           ORINSIM_CONFIG_DIR pointing at the shipped configs
 *   scratch_put(name, text) write a file there and return its path
 *   scratch_teardown()      remove what was written and the directory
 */
#ifndef ORINSIM_TEST_FIXTURES_H
#define ORINSIM_TEST_FIXTURES_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/dla.h"

static inline dla_spec_t fixture_agx_dla(void)
{
    dla_spec_t s;
    memset(&s, 0, sizeof s);
    s.clock_hz = 1.6e9;
    s.int8_macs_per_clk = 8192;
    s.fp16_macs_per_clk = 512;
    s.atom_c = 64;
    s.atom_k = 128;
    s.tap_fold_max = 4;
    s.sparse_factor = 2;
    s.sparse_min_c = 64;
    s.sram_bytes = 1048576;
    s.sdp_elems_per_clk = 16;
    s.pdp_elems_per_clk = 8;
    s.dram_Bps = 64e9;
    return s;
}

enum { SCRATCH_FILES = 16 };
static char scratch_dir[256];
static char scratch_written[SCRATCH_FILES][512];
static int scratch_n;

static inline void scratch_setup(const char *tag)
{
    setenv("ORINSIM_CONFIG_DIR", ORINSIM_SOURCE_DIR "/configs", 1);
    snprintf(scratch_dir, sizeof scratch_dir, "/tmp/orinsim-test-%s-XXXXXX", tag);
    ck_assert_ptr_nonnull(mkdtemp(scratch_dir));
    scratch_n = 0;
}

static inline void scratch_teardown(void)
{
    for (int i = 0; i < scratch_n; i++)
        unlink(scratch_written[i]);
    rmdir(scratch_dir);
}

/* Write `text` to scratch_dir/name and return the path. */
static inline const char *scratch_put(const char *name, const char *text)
{
    char *path;
    FILE *f;
    ck_assert_int_lt(scratch_n, SCRATCH_FILES);
    path = scratch_written[scratch_n++];
    snprintf(path, sizeof scratch_written[0], "%s/%s", scratch_dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

#endif
