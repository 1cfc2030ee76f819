/* SPDX-License-Identifier: Apache-2.0 */
/* activity: the calling thread's listener of models' long steps (activity.h). */
#include "activity.h"

#include <pthread.h>

static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

void hb_stderr_lock(void)
{
    pthread_mutex_lock(&stderr_lock);
}

void hb_stderr_unlock(void)
{
    pthread_mutex_unlock(&stderr_lock);
}

/* Per thread, so --concurrent's device threads each tell their own; set by
 * the driver around a run, read by models during it. */
static _Thread_local const hb_activity *listener;

void hb_activity_listen(const hb_activity *a)
{
    listener = a;
}

void hb_activity_begin(const char *what)
{
    if (listener && listener->begin)
        listener->begin(listener->arg, what);
}

void hb_activity_end(const char *what, double seconds, int ok)
{
    if (listener && listener->end)
        listener->end(listener->arg, what, seconds, ok);
}

int hb_activity_output(const char *what, const char *text, size_t len)
{
    if (!listener || !listener->output)
        return 0;
    listener->output(listener->arg, what, text, len);
    return 1;
}

void hb_activity_interrupt(void)
{
    if (listener && listener->interrupt)
        listener->interrupt(listener->arg);
}
