/* SPDX-License-Identifier: Apache-2.0 */
/* hb_clock: the one monotonic clock of hbmbench, and the wall clock, in seconds. */
#ifndef HB_CLOCK_H
#define HB_CLOCK_H

/* CLOCK_MONOTONIC in seconds: for intervals only (its origin is arbitrary). */
double hb_now_s(void);

/* CLOCK_REALTIME in seconds since 1970-01-01 UTC: a moment other hosts
 * can compare (as closely as their clocks agree: NTP keeps them within
 * milliseconds), never an interval (it can step). */
double hb_unix_now_s(void);

#endif
