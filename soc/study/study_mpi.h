/*
 * study_mpi: a study's runs over MPI ranks (see study_mpi.c). Without MPI in the build,
 * or outside `mpirun`, every function is a no-op and the study runs in one process.
 */
#ifndef ORINSIM_STUDY_MPI_H
#define ORINSIM_STUDY_MPI_H

#include <stddef.h>

typedef struct study_mpi {
    int active;             /* launched by mpirun and MPI initialised */
    int rank, size;
    int threads_ok;         /* OpenMP threads may call MPI, one at a time */
    int n;                  /* runs the dispenser hands out */
    int last;               /* the last position this rank was given */
    void *win;              /* MPI_Win of the shared counter (on rank 0) */
} study_mpi_t;

/* 1 when this orinsim was built with MPI. */
int study_mpi_built(void);
/* Start MPI when the process was launched by mpirun (Open MPI's OMPI_COMM_WORLD_SIZE,
 * or PMI_SIZE / PMIX_RANK of other launchers); else m->active = 0, rank 0 of 1. Returns
 * 0, or -1 when MPI could not start (the message is printed). */
int study_mpi_begin(study_mpi_t *m, int *argc, char ***argv);
void study_mpi_end(study_mpi_t *m);
/* The shared counter over positions 0..n-1; collective. 0 or -1. */
int study_mpi_open(study_mpi_t *m, int n);
void study_mpi_close(study_mpi_t *m);
/* The next position (atomic fetch-and-add on rank 0's counter), or -1 when none is left.
 * ctx is the study_mpi_t. */
int study_mpi_next(void *ctx);
/* Every rank's text to rank 0: there *texts (each NUL-terminated, rank order) and *lens,
 * size entries, to free(); elsewhere NULL. Collective. 0 or -1. */
int study_mpi_gather(study_mpi_t *m, const char *text, size_t len, char ***texts,
                     size_t **lens);
/* Rank 0's value on every rank. */
int study_mpi_bcast_int(study_mpi_t *m, int v);

#endif
