/* SPDX-License-Identifier: Apache-2.0 */
/* hb_clock: the monotonic clock and the wall clock (hb_clock.h). */
#include "hb_clock.h"

#include <time.h>

double hb_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double hb_unix_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
