/*
 * diff: compare two JSON reports metric by metric (`orinsim diff base.json new.json`).
 *
 * Every metric of soc/trace/metric.h that either report holds is compared. A change is a
 * regression when it goes the bad way (a latency, power or energy up; throughput down)
 * by more than the threshold, relative to the base value; an improvement when it goes
 * the good way by as much. Utilisation and bandwidth changes are listed but never
 * flagged: more DRAM traffic is neither good nor bad in itself. Equal values are not
 * listed, so re-running the same inputs (the simulator is deterministic) gives an empty
 * table and no regression.
 *
 * A report is one run's object, or the array a batch writes; two arrays are compared
 * element by element and must have the same length.
 */
#ifndef ORINSIM_DIFF_H
#define ORINSIM_DIFF_H

#include <json-c/json.h>
#include <stdio.h>

#include "sim/diag.h"

#define DIFF_DEFAULT_THRESHOLD_PCT 5.0

/* Load and check a report ("-": standard input, DIFF_STDIN in messages): JSON, an object
 * with an integer report_version (or a non-empty array of such objects, all of one
 * version), each run with the keys every report has, of their types, and every metric a
 * finite number or null. Returns 0, or DIAG_ERR with d naming the file (and line:column
 * for a JSON syntax error, the key for a broken report). */
#define DIFF_STDIN "<stdin>"
int diff_load(const char *path, json_object **out, diag_t *d);
/* The report_version of a loaded report. */
int diff_report_version(json_object *report);
/* Print the table of changed metrics. Returns the number of regressions past
 * threshold_pct (>= 0), or DIAG_ERR with d if the reports cannot be compared
 * (different versions, an object against an array, arrays of different lengths). */
int diff_reports(FILE *out, json_object *base, const char *base_name, json_object *cur,
                 const char *cur_name, double threshold_pct, diag_t *d);

#endif
