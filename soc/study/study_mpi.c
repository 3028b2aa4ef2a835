/*
 * study_mpi: dynamic load balancing of a study's runs over MPI ranks.
 *
 * Runs differ several-fold in cost (a network at 1280 pixels against one at 320, a
 * module at 7 W against one at MAXN), so a fixed split leaves ranks idle. Instead every
 * rank, rank 0 included, takes the next run from one counter that lives in rank 0's
 * memory, with MPI_Fetch_and_op under a passive-target lock (MPI-3 one-sided): no rank
 * has to stop computing to serve the others. When the counter passes the end, the rows
 * each rank made are gathered to rank 0 as part texts (study_part.c) and merged there, so
 * what rank 0 writes is what one process writes.
 *
 * OpenMP threads inside a rank take their runs from the same counter; the calls are
 * serialised by the caller (an OpenMP critical section), which MPI_THREAD_SERIALIZED
 * allows. A library that gives less runs one thread per rank.
 */
#include "soc/study/study_mpi.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ORINSIM_HAVE_MPI
#include <mpi.h>

int study_mpi_built(void)
{
    return 1;
}

static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int study_mpi_begin(study_mpi_t *m, int *argc, char ***argv)
{
    int provided = 0;
    memset(m, 0, sizeof *m);
    m->size = 1;
    m->threads_ok = 1;
    if (!launched())
        return 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "orinsim: error: MPI could not be initialised\n");
        return -1;
    }
    m->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
    m->threads_ok = provided >= MPI_THREAD_SERIALIZED;
    return 0;
}

void study_mpi_end(study_mpi_t *m)
{
    if (m->active)
        MPI_Finalize();
    m->active = 0;
}

int study_mpi_open(study_mpi_t *m, int n)
{
    MPI_Win win;
    int *base = NULL;
    m->n = n;
    m->last = -1;
    if (!m->active)
        return 0;
    if (MPI_Win_allocate(m->rank == 0 ? (MPI_Aint)sizeof(int) : 0, sizeof(int), MPI_INFO_NULL,
                         MPI_COMM_WORLD, &base, &win) != MPI_SUCCESS)
        return -1;
    if (m->rank == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
        *base = 0;
        MPI_Win_unlock(0, win);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Win_lock_all(0, win);
    m->win = malloc(sizeof win);
    if (m->win == NULL)
        return -1;
    memcpy(m->win, &win, sizeof win);
    return 0;
}

void study_mpi_close(study_mpi_t *m)
{
    MPI_Win win;
    if (!m->active || m->win == NULL)
        return;
    memcpy(&win, m->win, sizeof win);
    MPI_Win_unlock_all(win);
    MPI_Win_free(&win);
    free(m->win);
    m->win = NULL;
}

int study_mpi_next(void *ctx)
{
    study_mpi_t *m = ctx;
    MPI_Win win;
    int one = 1, got = 0;
    memcpy(&win, m->win, sizeof win);
    MPI_Fetch_and_op(&one, &got, MPI_INT, 0, 0, MPI_SUM, win);
    MPI_Win_flush(0, win);
    if (got >= m->n)
        return -1;
    m->last = got;
    return got;
}

int study_mpi_gather(study_mpi_t *m, const char *text, size_t len, char ***texts,
                     size_t **lens)
{
    int mine = (int)len, *all = NULL, *displs = NULL, total = 0, rc = 0, size = m->size;
    char *buf = NULL;
    *texts = NULL;
    *lens = NULL;
    if (len > (size_t)1 << 30)
        return -1;
    if (m->rank == 0) {
        all = calloc((size_t)size, sizeof *all);
        displs = calloc((size_t)size, sizeof *displs);
        if (all == NULL || displs == NULL)
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Gather(&mine, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (m->rank == 0) {
        for (int r = 0; r < size; r++) {
            displs[r] = total;
            if (all[r] > INT32_MAX - total)
                MPI_Abort(MPI_COMM_WORLD, 1);
            total += all[r];
        }
        buf = malloc((size_t)total + 1);
        if (buf == NULL)
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Gatherv(text, mine, MPI_CHAR, buf, all, displs, MPI_CHAR, 0, MPI_COMM_WORLD);
    if (m->rank == 0) {
        *texts = calloc((size_t)size, sizeof **texts);
        *lens = calloc((size_t)size, sizeof **lens);
        if (*texts == NULL || *lens == NULL)
            rc = -1;
        for (int r = 0; rc == 0 && r < size; r++) {
            (*texts)[r] = malloc((size_t)all[r] + 1);
            if ((*texts)[r] == NULL) {
                rc = -1;
                break;
            }
            memcpy((*texts)[r], buf + displs[r], (size_t)all[r]);
            (*texts)[r][all[r]] = '\0';
            (*lens)[r] = (size_t)all[r];
        }
    }
    free(buf);
    free(all);
    free(displs);
    return rc;
}

int study_mpi_bcast_int(study_mpi_t *m, int v)
{
    if (m->active)
        MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

#else /* no MPI in this build */

int study_mpi_built(void)
{
    return 0;
}

int study_mpi_begin(study_mpi_t *m, int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memset(m, 0, sizeof *m);
    m->size = 1;
    m->threads_ok = 1;
    return 0;
}

void study_mpi_end(study_mpi_t *m)
{
    (void)m;
}

int study_mpi_open(study_mpi_t *m, int n)
{
    m->n = n;
    m->last = -1;
    return 0;
}

void study_mpi_close(study_mpi_t *m)
{
    (void)m;
}

int study_mpi_next(void *ctx)
{
    (void)ctx;
    return -1;
}

int study_mpi_gather(study_mpi_t *m, const char *text, size_t len, char ***texts,
                     size_t **lens)
{
    (void)m;
    (void)text;
    (void)len;
    *texts = NULL;
    *lens = NULL;
    return -1;
}

int study_mpi_bcast_int(study_mpi_t *m, int v)
{
    (void)m;
    return v;
}

#endif
