/* SPDX-License-Identifier: Apache-2.0 */
/* hb_clock: the one monotonic clock of hbmbench, in seconds. */
#ifndef HB_CLOCK_H
#define HB_CLOCK_H

/* CLOCK_MONOTONIC in seconds: for intervals only (its origin is arbitrary). */
double hb_now_s(void);

#endif
