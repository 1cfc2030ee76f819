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
 *         another rank is inside MPI_Finalize (docs/cluster.md).
 * Every wait has a bound: the collectives at the start HB_START_WAIT_S, rank
 * 0's gathering the time box, a rank's wait for the verdict the bound its
 * caller gives; a stop signal (hb_signal.h) ends the last two at once. */
#ifndef HB_CLUSTER_COMM_H
#define HB_CLUSTER_COMM_H

#include "hb_error.h"

typedef struct hb_comm {
    int rank, size;
    int local_rank, local_size;    /* among the ranks of this node */
    char node[256];                /* gethostname() */
    /* rank 0 only: every rank's place, and the receives in flight */
    struct hb_comm_peer *peers;
    int abandoned;                 /* a cancelled receive never ended: its
                                    * buffers (peers, a text) stay for the
                                    * process's life */
    /* any other rank: its report in flight (hb_comm_send) */
    struct hb_comm_outbox *outbox;
} hb_comm;

int hb_comm_init(hb_comm *c, hb_err *err);
/* How long a rank waits for the others at a collective of the start (the
 * node gather, the options check, rank 0's go): MPI_Init has brought every
 * rank up, so a rank missing for a minute died or hangs; the job is then
 * aborted with a message. */
#define HB_START_WAIT_S 60
/* Every rank's mine, in all[] (c->size ints), on every rank. */
void hb_comm_allgather_int(hb_comm *c, int mine, int *all);
/* Rank 0's len bytes at buf, on every rank. */
void hb_comm_bcast(hb_comm *c, void *buf, int len);
/* Rank 0: the node, local rank and local size of rank r. */
const char *hb_comm_node_of(const hb_comm *c, int r, int *local_rank, int *local_size);

/* Rank 0: posts the receives of the other ranks' report lengths. */
int hb_comm_gather_begin(hb_comm *c, hb_err *err);
/* Rank 0: waits up to box_s seconds (INFINITY: no limit), or until a stop
 * signal, for the other ranks' reports; got(ctx, r, text) takes each text
 * (the callee frees it) as it arrives. Returns how many never came. */
int hb_comm_gather_end(hb_comm *c, double box_s, void (*got)(void *ctx, int rank, char *text), void *ctx);
/* Rank 0: whether rank r's report arrived (rank 0's own: yes). */
int hb_comm_reported(const hb_comm *c, int r);

/* The verdict's bits: rank 0 aborts the job (a rank did not report), and the
 * gathered file was written with every rank in it (partial files may go). */
#define HB_VERDICT_ABORT 1
#define HB_VERDICT_WRITTEN 2
#define HB_COMM_NO_VERDICT (-1)
#define HB_COMM_STOPPED (-2)
#define HB_COMM_UNSENT (-3)
/* Any rank but 0: sends its report and waits for rank 0's verdict, at most
 * wait_s seconds (INFINITY: no limit). Returns the verdict, HB_COMM_NO_VERDICT
 * when none came in time, HB_COMM_STOPPED on a stop signal, or
 * HB_COMM_UNSENT with err when the report cannot be sent. Takes text: freed
 * once sent, or, on an early return, left to the process's end with the
 * send still reading it (the rank then ends without MPI_Finalize). */
int hb_comm_send(hb_comm *c, char *text, double wait_s, hb_err *err);

/* Rank 0: sends the verdict to every rank that reported, then MPI_Finalize,
 * or (abort_code > 0) MPI_Abort, which does not return. */
void hb_comm_finish(hb_comm *c, int verdict, int abort_code);
/* Any other rank told an abort is coming: waits to be ended by it (at most
 * 120 s, or until a stop signal), then exits 1. Does not return. */
void hb_comm_await_abort(hb_comm *c);
/* Every rank at the same point before any report (a refused --out): MPI_Finalize. */
void hb_comm_close(hb_comm *c);
/* MPI_Abort: does not return. */
void hb_comm_abort(hb_comm *c, int code);

#endif
