/* SPDX-License-Identifier: Apache-2.0 */
/* hb_signal: stopping a run cleanly (hb_signal.h). */
#include "hb_signal.h"

#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Lock-free atomics are async-signal-safe (C11 7.14.1.1p5), and they order
 * the path buffer's bytes before the slot index for a handler that runs on
 * another thread (OpenCL runtimes start threads of their own). */
static atomic_int stop_sig;
static atomic_int guard_slot = -1;
static char guard_path[2][PATH_MAX];

static const struct {
    int sig;
    const char *name;
    const char *first;   /* printed by the handler: one write(2), no formatting */
} known[] = {
    {SIGINT, "SIGINT", "\nhbmbench: SIGINT: stopping after the current measurement; the results so far are kept "
                       "(send it again to quit at once, without them)\n"},
    {SIGTERM, "SIGTERM", "\nhbmbench: SIGTERM: stopping after the current measurement; the results so far are "
                         "kept (send it again to quit at once, without them)\n"},
    {SIGHUP, "SIGHUP", "\nhbmbench: SIGHUP: stopping after the current measurement; the results so far are kept "
                       "(send it again to quit at once, without them)\n"},
};
#define N_KNOWN (sizeof known / sizeof known[0])

static const char second_msg[] = "\nhbmbench: second signal: quitting at once; no result file is written\n";

static void say(const char *msg)
{
    ssize_t ignored = write(STDERR_FILENO, msg, strlen(msg));
    (void)ignored;
}

static void on_signal(int sig)
{
    int none = 0;
    if (atomic_compare_exchange_strong(&stop_sig, &none, sig)) {
        for (size_t i = 0; i < N_KNOWN; i++)
            if (known[i].sig == sig)
                say(known[i].first);
        return;
    }
    int slot = atomic_load(&guard_slot);
    if (slot >= 0)
        unlink(guard_path[slot]);
    say(second_msg);
    /* The default action, once this handler returns and unblocks sig: the
     * process ends as killed by sig, which is what its parent should see. */
    signal(sig, SIG_DFL);
    raise(sig);
}

void hb_signal_install(void)
{
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < N_KNOWN; i++) {
        struct sigaction old, sa;
        if (sigaction(known[i].sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask); /* one handler at a time on this thread */
        sa.sa_flags = SA_RESTART;
        sigaction(known[i].sig, &sa, NULL);
    }
}

int hb_signal_stop(void)
{
    return atomic_load(&stop_sig);
}

const char *hb_signal_name(int sig)
{
    static char other[16];
    for (size_t i = 0; i < N_KNOWN; i++)
        if (known[i].sig == sig)
            return known[i].name;
    snprintf(other, sizeof other, "signal %d", sig % 100);
    return other;
}

void hb_signal_guard(const char *path)
{
    /* Two buffers, used in turn: the one a handler may still be reading
     * is never the one rewritten. */
    static int last = 1;
    int slot = 1 - last;
    last = slot;
    atomic_store(&guard_slot, -1);
    snprintf(guard_path[slot], sizeof guard_path[slot], "%s", path);
    atomic_store(&guard_slot, slot);
}

void hb_signal_unguard(void)
{
    atomic_store(&guard_slot, -1);
}
