/*
 * check_load: the CUDA checking backend (soc/measure/cuda/) is a module, loaded with dlopen the
 * first time `orinsim check` needs it, so that no other command pays for mapping the
 * CUDA libraries. The module is looked for beside the orinsim executable, then where the
 * build put it. Without a CUDA build, the backend functions at the end of this file answer
 * "built without CUDA" instead.
 */
#ifdef ORINSIM_HAVE_CUDA

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "soc/measure/check_backend.h"

static struct backend {
    int tried, ok;
    char error[512];
    int (*available)(void);
    const char *(*build_info)(void);
    int (*open)(int, check_device_t *, char *, size_t);
    int (*run)(const trace_op_t *, const checkb_timing_t *, double *, double *, char *, size_t);
    void (*close)(void);
} B;

static void *open_module(void)
{
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    void *h = NULL;
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/liborinsim_cuda.so", exe);
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (h == NULL)
        h = dlopen(ORINSIM_CUDA_MODULE, RTLD_NOW | RTLD_LOCAL);
    return h;
}

static int load(void)
{
    void *h;
    if (B.tried)
        return B.ok ? 0 : -1;
    B.tried = 1;
    h = open_module();
    if (h == NULL) {
        snprintf(B.error, sizeof B.error, "the CUDA backend module could not be loaded: %s",
                 dlerror());
        return -1;
    }
    /* POSIX allows converting dlsym's void * to a function pointer this way. */
    *(void **)&B.available = dlsym(h, "checkb_available");
    *(void **)&B.build_info = dlsym(h, "checkb_build_info");
    *(void **)&B.open = dlsym(h, "checkb_open");
    *(void **)&B.run = dlsym(h, "checkb_run");
    *(void **)&B.close = dlsym(h, "checkb_close");
    if (!B.available || !B.build_info || !B.open || !B.run || !B.close) {
        snprintf(B.error, sizeof B.error, "the CUDA backend module lacks its entry points");
        return -1;
    }
    B.ok = 1;
    return 0;
}

int checkb_available(void)
{
    return load() == 0 && B.available();
}

const char *checkb_build_info(void)
{
    return load() == 0 ? B.build_info() : B.error;
}

int checkb_open(int index, check_device_t *dev, char *why, size_t len)
{
    if (load() != 0) {
        snprintf(why, len, "%s", B.error);
        return CHECKB_ERR;
    }
    return B.open(index, dev, why, len);
}

int checkb_run(const trace_op_t *op, const checkb_timing_t *t, double *median_s, double *min_s,
               char *note, size_t len)
{
    if (load() != 0) {
        *median_s = *min_s = -1;
        snprintf(note, len, "%s", B.error);
        return CHECKB_ERR;
    }
    return B.run(op, t, median_s, min_s, note, len);
}

void checkb_close(void)
{
    if (B.ok)
        B.close();
}

#else   /* no CUDA build */

#include <stdio.h>

#include "soc/measure/check_backend.h"

int checkb_available(void)
{
    return 0;
}

const char *checkb_build_info(void)
{
    return "built without CUDA";
}

int checkb_open(int index, check_device_t *dev, char *why, size_t len)
{
    (void)index;
    (void)dev;
    snprintf(why, len, "this orinsim was built without CUDA");
    return CHECKB_ERR;
}

int checkb_run(const trace_op_t *op, const checkb_timing_t *t, double *median_s, double *min_s,
               char *note, size_t len)
{
    (void)op;
    (void)t;
    *median_s = *min_s = -1;
    snprintf(note, len, "this orinsim was built without CUDA");
    return CHECKB_ERR;
}

void checkb_close(void)
{
}
#endif
