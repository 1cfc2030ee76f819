/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_comm: the only MPI in hbmbench (cluster_comm.h has the protocol). */
#include "cluster_comm.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mpi.h>

#include "hb_clock.h"
#include "hb_signal.h"

enum { TAG_LEN = 1, TAG_TEXT = 2, TAG_VERDICT = 3 };
#define ABORT_WAIT_S 120    /* how long a rank waits for rank 0's MPI_Abort to end it */
#define POLL_NS 10000000L   /* 10 ms between polls */
#define CANCEL_WAIT_S 2     /* how long a cancelled receive may take to end */

/* A report on its way to rank 0 and the verdict awaited. MPI reads and
 * writes these buffers until the requests complete (MPI 3.1, 3.7.2: a
 * pending send's buffer may not be freed or reused, nor a pending
 * receive's read), so they live in the comm, not on a stack that returns:
 * a rank stopped while its report was in flight once freed the text, and
 * rank 0 received whatever the freed memory held next, and kept it as
 * that rank's partial file. */
struct hb_comm_outbox {
    long long len;
    char *text;
    int verdict;
    MPI_Request req[3];
};

/* What rank 0 knows of one rank. */
struct hb_comm_peer {
    char node[256];
    int local_rank, local_size;
    long long len;          /* the report's length, once it came */
    char *text;
    MPI_Request req;
    int state;              /* 0 length awaited, 1 text awaited, 2 done */
    int reported;           /* its whole report arrived: it now waits for the verdict */
};

static void nap(void)
{
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
}

/* Waits for req until seconds have passed; 0 when it completed, -1 not. */
static int wait_for(MPI_Request *req, double seconds)
{
    double until = hb_now_s() + seconds;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return 0;
        if (hb_now_s() >= until)
            return -1;
        nap();
    }
}

/* A collective every rank should reach within seconds of the others: one
 * that does not (it died or hangs before it) ends the job, with a message,
 * rather than leaving the others waiting for ever. */
static void wait_collective(MPI_Request *req, const hb_comm *c, const char *what)
{
    if (wait_for(req, HB_START_WAIT_S) == 0)
        return;
    fprintf(stderr, "hbmbench run: rank %d: %s: not every rank took part within %d s (one died or hangs); "
                    "ending the job\n", c->rank, what, HB_START_WAIT_S);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, HB_EFAIL);
}

int hb_comm_init(hb_comm *c, hb_err *err)
{
    memset(c, 0, sizeof *c);
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return hb_fail(err, HB_EFAIL, "MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    /* The ranks that share this node's memory: MPI 3.0, section 6.4.2. */
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &local);
    MPI_Comm_rank(local, &c->local_rank);
    MPI_Comm_size(local, &c->local_size);
    MPI_Comm_free(&local);
    if (gethostname(c->node, sizeof c->node - 1) != 0)
        snprintf(c->node, sizeof c->node, "unknown");
    /* Rank 0 learns where every rank is now, while all are surely alive,
     * so the file can name the node of a rank that never reports. */
    struct { char node[256]; int local_rank, local_size; } me, *all = NULL;
    memset(&me, 0, sizeof me);
    snprintf(me.node, sizeof me.node, "%s", c->node);
    me.local_rank = c->local_rank;
    me.local_size = c->local_size;
    if (c->rank == 0) {
        all = calloc((size_t)c->size, sizeof *all);
        c->peers = calloc((size_t)c->size, sizeof *c->peers);
        if (!all || !c->peers) {
            free(all);
            MPI_Abort(MPI_COMM_WORLD, HB_EFAIL);   /* the others would wait for us forever */
        }
    }
    MPI_Request req;
    MPI_Igather(&me, (int)sizeof me, MPI_BYTE, all, (int)sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD, &req);
    wait_collective(&req, c, "start");
    for (int r = 0; c->rank == 0 && r < c->size; r++) {
        snprintf(c->peers[r].node, sizeof c->peers[r].node, "%s", all[r].node);
        c->peers[r].local_rank = all[r].local_rank;
        c->peers[r].local_size = all[r].local_size;
    }
    free(all);
    return HB_OK;
}

void hb_comm_allgather_int(hb_comm *c, int mine, int *all)
{
    MPI_Request req;
    MPI_Iallgather(&mine, 1, MPI_INT, all, 1, MPI_INT, MPI_COMM_WORLD, &req);
    wait_collective(&req, c, "checking the options");
}

void hb_comm_bcast(hb_comm *c, void *buf, int len)
{
    MPI_Request req;
    MPI_Ibcast(buf, len, MPI_BYTE, 0, MPI_COMM_WORLD, &req);
    wait_collective(&req, c, "start");
}

const char *hb_comm_node_of(const hb_comm *c, int r, int *local_rank, int *local_size)
{
    *local_rank = c->peers[r].local_rank;
    *local_size = c->peers[r].local_size;
    return c->peers[r].node;
}

int hb_comm_gather_begin(hb_comm *c, hb_err *err)
{
    (void)err;
    for (int r = 1; r < c->size; r++)
        MPI_Irecv(&c->peers[r].len, 1, MPI_LONG_LONG, r, TAG_LEN, MPI_COMM_WORLD, &c->peers[r].req);
    return HB_OK;
}

/* One look at rank r's receive; returns 1 once its report is complete. */
static int poll_peer(struct hb_comm_peer *p, int r)
{
    int flag = 0;
    MPI_Test(&p->req, &flag, MPI_STATUS_IGNORE);
    if (!flag)
        return 0;
    if (p->state == 0) {
        p->text = p->len >= 0 && p->len < INT_MAX ? malloc((size_t)p->len + 1) : NULL;
        if (!p->text) {
            p->state = 2;   /* nothing to receive it into: left out like a silent rank */
            return 1;
        }
        MPI_Irecv(p->text, (int)p->len, MPI_CHAR, r, TAG_TEXT, MPI_COMM_WORLD, &p->req);
        p->state = 1;
        return poll_peer(p, r);
    }
    p->text[p->len] = '\0';
    p->state = 2;
    p->reported = 1;
    return 1;
}

int hb_comm_gather_end(hb_comm *c, double box_s, void (*got)(void *ctx, int rank, char *text), void *ctx)
{
    double deadline = hb_now_s() + box_s;   /* INFINITY: no limit */
    int left = c->size - 1;
    for (;;) {
        for (int r = 1; r < c->size; r++)
            if (c->peers[r].state < 2 && poll_peer(&c->peers[r], r)) {
                left--;
                if (c->peers[r].text)   /* handed on at once: rank 0 holds one text at a time */
                    got(ctx, r, c->peers[r].text);
                c->peers[r].text = NULL;
            }
        if (left == 0 || hb_now_s() >= deadline || hb_signal_stop())
            break;
        nap();
    }
    for (int r = 1; r < c->size; r++) {
        struct hb_comm_peer *p = &c->peers[r];
        if (p->state < 2) {
            /* MPI 3.1, 3.8.4: a cancelled receive completes, cancelled or
             * received after all; only then may its buffers go. One matched
             * to a sender stopped mid-message may never end: its buffers
             * are left to the process's end rather than written into freed. */
            MPI_Cancel(&p->req);
            if (wait_for(&p->req, CANCEL_WAIT_S) == 0)
                free(p->text);
            else
                c->abandoned = 1;
            p->text = NULL;
        }
    }
    return left;
}

int hb_comm_reported(const hb_comm *c, int r)
{
    return r == 0 || c->peers[r].reported;
}

int hb_comm_send(hb_comm *c, char *text, double wait_s, hb_err *err)
{
    long long len = (long long)strlen(text);
    if (len >= INT_MAX) {
        free(text);
        return hb_fail(err, HB_EFAIL, "the report is too large to send (%lld bytes)", len), HB_COMM_UNSENT;
    }
    struct hb_comm_outbox *o = calloc(1, sizeof *o);
    if (!o) {
        free(text);
        return hb_fail(err, HB_EFAIL, "out of memory while sending the report"), HB_COMM_UNSENT;
    }
    *o = (struct hb_comm_outbox){.len = len, .text = text, .verdict = -1};
    c->outbox = o;
    int done = 0;
    double until = hb_now_s() + wait_s;   /* INFINITY: no limit */
    MPI_Isend(&o->len, 1, MPI_LONG_LONG, 0, TAG_LEN, MPI_COMM_WORLD, &o->req[0]);
    MPI_Isend(o->text, (int)len, MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD, &o->req[1]);
    MPI_Irecv(&o->verdict, 1, MPI_INT, 0, TAG_VERDICT, MPI_COMM_WORLD, &o->req[2]);
    /* Rank 0 may still be measuring: wait without spinning on its cores. */
    for (;;) {
        MPI_Testall(3, o->req, &done, MPI_STATUSES_IGNORE);
        if (done) {
            int verdict = o->verdict;
            free(o->text);
            free(o);
            c->outbox = NULL;
            return verdict;
        }
        /* returning leaves the outbox to the process's end: it ends
         * without MPI_Finalize (stopped, or aborting the job) */
        if (hb_signal_stop())
            return HB_COMM_STOPPED;
        if (hb_now_s() >= until)
            return HB_COMM_NO_VERDICT;
        nap();
    }
}

void hb_comm_close(hb_comm *c)
{
    fflush(stdout);
    fflush(stderr);
    if (!c->abandoned)   /* else MPI may still write into a peer's len */
        free(c->peers);
    c->peers = NULL;
    MPI_Finalize();
}

void hb_comm_abort(hb_comm *c, int code)
{
    (void)c;
    fflush(stdout);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
}

/* Rank 0: the verdict to every rank that reported (MPI_Send of one int is
 * eager: each of them has its receive posted). */
void hb_comm_finish(hb_comm *c, int verdict, int abort_code)
{
    fflush(stdout);
    fflush(stderr);
    verdict |= abort_code > 0 ? HB_VERDICT_ABORT : 0;
    for (int r = 1; r < c->size; r++)
        if (c->peers[r].reported)
            MPI_Send(&verdict, 1, MPI_INT, r, TAG_VERDICT, MPI_COMM_WORLD);
    if (abort_code > 0)
        hb_comm_abort(c, abort_code);
    hb_comm_close(c);
}

void hb_comm_await_abort(hb_comm *c)
{
    (void)c;
    fflush(stdout);
    fflush(stderr);
    /* rank 0 aborts the job: wait to be ended, but not for ever */
    double until = hb_now_s() + ABORT_WAIT_S;
    while (hb_now_s() < until && !hb_signal_stop())
        nap();
    _exit(HB_EFAIL);
}
