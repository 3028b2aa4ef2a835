/*
 * units: the quantities a user writes in traces and configs, parsed strictly.
 *
 *   durations   ns us ms s            -> integer picoseconds
 *   sizes       B KiB MiB GiB KB MB GB -> bytes (double: sizes may be fractional per CTA)
 *   frequencies Hz kHz MHz GHz         -> hertz
 *   power       mW W                   -> watts
 *   energy      mJ J                   -> joules
 *   temperature C (degrees Celsius)    -> degrees Celsius
 *   bandwidth   <size unit>/s          -> bytes per second
 *
 * The number may use scientific notation ("1.5e3us"); whitespace between number and
 * unit is allowed ("33.3 ms"). A missing or unknown unit is an error: the functions
 * return -1 and write what was expected into `why`. A quantity must be finite and, except
 * for temperatures, non-negative; callers check ranges that depend on context.
 */
#ifndef ORINSIM_UNITS_H
#define ORINSIM_UNITS_H

#include <stddef.h>
#include <stdint.h>

int units_number(const char *s, double *out);   /* plain finite number, no unit */
int units_duration_ps(const char *s, uint64_t *ps, char *why, size_t whylen);
int units_size_bytes(const char *s, double *bytes, char *why, size_t whylen);
int units_freq_hz(const char *s, double *hz, char *why, size_t whylen);
int units_power_w(const char *s, double *watts, char *why, size_t whylen);
int units_energy_j(const char *s, double *joules, char *why, size_t whylen);
int units_temp_c(const char *s, double *celsius, char *why, size_t whylen);
/* A size per second: "6.1 GB/s", "512MiB/s" -> bytes/s. */
int units_bandwidth_Bps(const char *s, double *Bps, char *why, size_t whylen);

/* Human-readable output with an adaptive unit, e.g. "12.345 ms", "3.00 GiB". */
void units_fmt_duration(uint64_t ps, char *buf, size_t len);
void units_fmt_bytes(double bytes, char *buf, size_t len);

#endif
