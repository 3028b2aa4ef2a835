/*
 * units: strict parsing of quantities with units. See units.h.
 *
 * A value is "<number><spaces?><unit>". The number is parsed by strtod in the C locale
 * sense (orinsim never calls setlocale), must consume at least one digit and be finite.
 * Durations are rounded to the nearest picosecond and must fit in 64 bits.
 */
#include "soc/io/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
    const char *name;
    double scale;
} unit_t;

/* Split "12.5 ms" into 12.5 and "ms". Returns 0, or -1 if there is no valid number. */
static int split(const char *s, double *num, const char **unit)
{
    char *end;
    if (s == NULL)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0')
        return -1;
    /* strtod accepts "inf", "nan" and hex floats; a quantity never needs them. */
    if (!(isdigit((unsigned char)*s) || *s == '.' || *s == '-' || *s == '+'))
        return -1;
    {
        const char *p = s + (*s == '-' || *s == '+');
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
            return -1;   /* hexadecimal */
    }
    *num = strtod(s, &end);
    if (end == s || !isfinite(*num))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    *unit = end;
    return 0;
}

static int trailing_space_only(const char *u, size_t n)
{
    for (size_t i = n; u[i]; i++)
        if (!isspace((unsigned char)u[i]))
            return 0;
    return 1;
}

static int lookup(const unit_t *units, const char *u, double *scale)
{
    for (const unit_t *p = units; p->name; p++) {
        size_t n = strlen(p->name);
        if (strncmp(u, p->name, n) == 0 && trailing_space_only(u, n)) {
            *scale = p->scale;
            return 0;
        }
    }
    return -1;
}

static int quantity(const char *s, const unit_t *units, const char *kind, const char *example,
                    int allow_negative, double *out, char *why, size_t whylen)
{
    double num, scale;
    const char *u;
    if (split(s, &num, &u) != 0) {
        snprintf(why, whylen, "expected a %s such as %s, got '%s'", kind, example, s ? s : "");
        return -1;
    }
    if (*u == '\0') {
        snprintf(why, whylen, "missing unit in '%s': expected a %s such as %s", s, kind, example);
        return -1;
    }
    if (lookup(units, u, &scale) != 0) {
        snprintf(why, whylen, "unknown unit '%s' in '%s': expected a %s such as %s", u, s, kind,
                 example);
        return -1;
    }
    if (!allow_negative && num < 0) {
        snprintf(why, whylen, "negative %s '%s'", kind, s);
        return -1;
    }
    *out = num * scale;
    if (!isfinite(*out)) {
        snprintf(why, whylen, "%s '%s' is out of range", kind, s);
        return -1;
    }
    return 0;
}

int units_number(const char *s, double *out)
{
    double num;
    const char *u;
    if (split(s, &num, &u) != 0 || *u != '\0')
        return -1;
    *out = num;
    return 0;
}

static const unit_t DURATION_UNITS[] = {
    {"ps", 1.0}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}, {NULL, 0}
};
static const unit_t SIZE_UNITS[] = {
    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
    {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1.0}, {NULL, 0}
};
static const unit_t FREQ_UNITS[] = {
    {"GHz", 1e9}, {"MHz", 1e6}, {"kHz", 1e3}, {"Hz", 1.0}, {NULL, 0}
};
static const unit_t POWER_UNITS[] = {{"mW", 1e-3}, {"W", 1.0}, {NULL, 0}};
static const unit_t ENERGY_UNITS[] = {{"mJ", 1e-3}, {"J", 1.0}, {NULL, 0}};
static const unit_t TEMP_UNITS[] = {{"C", 1.0}, {NULL, 0}};

int units_bandwidth_Bps(const char *s, double *Bps, char *why, size_t whylen)
{
    static const unit_t BW_UNITS[] = {
        {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0},
        {"KB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9}, {"B/s", 1.0}, {NULL, 0}
    };
    return quantity(s, BW_UNITS, "bandwidth", "'6.1 GB/s' (units: B/s KB/s MB/s GB/s KiB/s MiB/s GiB/s)",
                    0, Bps, why, whylen);
}

int units_duration_ps(const char *s, uint64_t *ps, char *why, size_t whylen)
{
    double v;
    if (quantity(s, DURATION_UNITS, "duration", "'1.5ms' (units: ns us ms s)", 0, &v, why,
                 whylen) != 0)
        return -1;
    v = floor(v + 0.5);
    if (v >= 1.8e19) {
        snprintf(why, whylen, "duration '%s' is too long (limit about 5000 hours)", s);
        return -1;
    }
    *ps = (uint64_t)v;
    return 0;
}

int units_size_bytes(const char *s, double *bytes, char *why, size_t whylen)
{
    return quantity(s, SIZE_UNITS, "size", "'4MiB' (units: B KiB MiB GiB KB MB GB)", 0, bytes,
                    why, whylen);
}

int units_freq_hz(const char *s, double *hz, char *why, size_t whylen)
{
    return quantity(s, FREQ_UNITS, "frequency", "'1300MHz' (units: Hz kHz MHz GHz)", 0, hz, why,
                    whylen);
}

int units_power_w(const char *s, double *watts, char *why, size_t whylen)
{
    return quantity(s, POWER_UNITS, "power", "'20W' (units: mW W)", 0, watts, why, whylen);
}

int units_energy_j(const char *s, double *joules, char *why, size_t whylen)
{
    return quantity(s, ENERGY_UNITS, "energy", "'0.5J' (units: mJ J)", 0, joules, why, whylen);
}

int units_temp_c(const char *s, double *celsius, char *why, size_t whylen)
{
    return quantity(s, TEMP_UNITS, "temperature", "'45C'", 1, celsius, why, whylen);
}

void units_fmt_duration(uint64_t ps, char *buf, size_t len)
{
    double v = (double)ps;
    if (v >= 1e12)
        snprintf(buf, len, "%.3f s", v / 1e12);
    else if (v >= 1e9)
        snprintf(buf, len, "%.3f ms", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, len, "%.3f us", v / 1e6);
    else
        snprintf(buf, len, "%.3f ns", v / 1e3);
}

void units_fmt_bytes(double bytes, char *buf, size_t len)
{
    if (bytes >= 1073741824.0)
        snprintf(buf, len, "%.2f GiB", bytes / 1073741824.0);
    else if (bytes >= 1048576.0)
        snprintf(buf, len, "%.2f MiB", bytes / 1048576.0);
    else if (bytes >= 1024.0)
        snprintf(buf, len, "%.2f KiB", bytes / 1024.0);
    else
        snprintf(buf, len, "%.0f B", bytes);
}
