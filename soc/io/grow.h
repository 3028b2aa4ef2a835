/*
 * grow: room for one more element at the end of a growable array (count n, capacity cap).
 */
#ifndef ORINSIM_GROW_H
#define ORINSIM_GROW_H

#include <stdlib.h>

/* The array `v` of *cap elements of `size` bytes, with room for element n: `v` itself
 * when there is room, else reallocated to twice the capacity (`first` elements the first
 * time) and *cap updated. NULL when out of memory, with `v` and *cap unchanged. */
static inline void *grow_one(void *v, int n, int *cap, int first, size_t size)
{
    int c;
    void *p;
    if (n < *cap)
        return v;
    c = *cap ? 2 * *cap : first;
    p = realloc(v, (size_t)c * size);
    if (p != NULL)
        *cap = c;
    return p;
}

#endif
