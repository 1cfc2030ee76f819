/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_comm: the only MPI in hbmbench (docs/cluster.md, "Protocol").
 *
 *   init: MPI_Init, this rank's node-local rank (MPI_Comm_split_type with
 *         MPI_COMM_TYPE_SHARED), and rank 0 learns every rank's node;
 *   each rank measures, then sends rank 0 one report: its length (tag 1),
 *         then its JSON text (tag 2), both non-blocking;
 *   rank 0 posts a receive for every length before measuring itself, and
 *         afterwards polls them (10 ms apart, so waiting costs no CPU the
 *         still-measuring ranks need) until all reports are in or the time
 *         box runs out; what never came is left out and said so;
 *   finish: rank 0 sends every rank that reported a verdict (tag 3): all
 *         reported, so everyone calls MPI_Finalize; or some rank did not, so
 *         rank 0 calls MPI_Abort, the only end for a rank that hangs (a
 *         finalize would wait for it). The ranks that reported wait for the
 *         verdict rather than entering MPI_Finalize at once: Open MPI 4.1.4's
 *         mpirun hangs in about half the runs when MPI_Abort comes while
 *         another rank is inside MPI_Finalize (docs/cluster.md). */
#ifndef HB_CLUSTER_COMM_H
#define HB_CLUSTER_COMM_H

#include "hb_error.h"

typedef struct hb_comm {
    int rank, size;
    int local_rank, local_size;    /* among the ranks of this node */
    char node[256];                /* gethostname() */
    /* rank 0 only: every rank's place, and the receives in flight */
    struct hb_comm_peer *peers;
} hb_comm;

int hb_comm_init(hb_comm *c, hb_err *err);
/* Rank 0's value of *v on every rank (a collective: every rank calls it). */
void hb_comm_bcast_int(hb_comm *c, int *v);
/* Rank 0: the node, local rank and local size of rank r. */
const char *hb_comm_node_of(const hb_comm *c, int r, int *local_rank, int *local_size);

/* Rank 0: posts the receives of the other ranks' report lengths. */
int hb_comm_gather_begin(hb_comm *c, hb_err *err);
/* Rank 0: waits up to timeout_s (0: no limit) for the other ranks'
 * reports; texts[r] gets rank r's (caller frees), NULL where none came. */
void hb_comm_gather_end(hb_comm *c, double timeout_s, char **texts);
/* Any rank but 0: sends its report and waits until it has left. */
int hb_comm_send(hb_comm *c, const char *text, hb_err *err);

/* The end of a gathered run. Rank 0: sends the verdict (abort_code > 0:
 * abort) to every rank that reported, then MPI_Finalize or MPI_Abort (which
 * does not return). Other ranks: wait for the verdict, then MPI_Finalize,
 * or wait to be ended by rank 0's MPI_Abort. */
void hb_comm_finish(hb_comm *c, int abort_code);
/* Every rank at the same point before any report (a refused --out): MPI_Finalize. */
void hb_comm_close(hb_comm *c);
/* MPI_Abort: does not return. */
void hb_comm_abort(hb_comm *c, int code);

#endif
