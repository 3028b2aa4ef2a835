/*
 * junit: the results of a batch as a JUnit XML report, the format every CI system reads
 * (Jenkins' JUnit plugin, GitLab's `artifacts:reports:junit`, GitHub test-report
 * actions).
 *
 * One <testsuite> per run (trace x module x mode). Each holds a test case `run`, which
 * is an <error> if the run could not be simulated, and one test case per budget, a
 * <failure> when the budget failed.
 */
#ifndef ORINSIM_JUNIT_H
#define ORINSIM_JUNIT_H

#include <stdio.h>

#include "soc/report/batch.h"

/* Write the report. Returns 0, or -1 if writing failed. */
int junit_write(FILE *out, const batch_run_t *runs, int n);
/* Write s as XML character data that is also valid inside a quoted attribute: the five
 * markup characters as entities, tab, newline and carriage return as character
 * references (attribute values keep them), and every byte that is not valid UTF-8 or
 * that XML 1.0 forbids (other control characters, U+FFFE, U+FFFF) as U+FFFD. */
void junit_escape(FILE *out, const char *s);

#endif
