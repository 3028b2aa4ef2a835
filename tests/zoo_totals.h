/*
 * zoo_totals.h: what the zoo tests share: a network's MACs and parameters at a batch, and
 * a relative-tolerance assertion that prints both numbers.
 */
#ifndef ORINSIM_TEST_ZOO_TOTALS_H
#define ORINSIM_TEST_ZOO_TOTALS_H

#include <check.h>
#include <math.h>
#include <string.h>

#include "soc/zoo/zoo.h"

static inline void totals(const char *name, int64_t batch, double *macs, double *params)
{
    zoo_options_t o;
    diag_t d;
    memset(&o, 0, sizeof o);
    o.batch = batch;
    diag_clear(&d);
    ck_assert_msg(zoo_totals(name, &o, macs, params, &d) == 0, "%s: %s", name, d.msg);
}

#define ck_assert_near(v, want, rel) \
    ck_assert_msg(fabs((double)(v) - (double)(want)) <= (rel) * fabs((double)(want)), \
                  "%s = %.6g, expected %.6g +- %g%%", #v, (double)(v), (double)(want), \
                  (rel) * 100)

#endif
