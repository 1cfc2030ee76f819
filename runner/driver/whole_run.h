/* SPDX-License-Identifier: Apache-2.0 */
/* whole_run: a whole run (whole_run.c): its repetitions (--repeat), and in
 * each every unit of the plan, one after another (run_devices.c) or all at
 * once (concurrent.c). */
#ifndef HB_WHOLE_RUN_H
#define HB_WHOLE_RUN_H

#include "run_devices.h"

/* Appends every result to out. A measurement that fails (a runtime call:
 * out of memory, a build error) is reported on stderr, its result marked
 * invalid with the error in its notes, and the device goes on with the
 * next measurement; after two failures in a row, or when its model cannot
 * be opened, the run goes on with the next device. *failed is set then
 * and when any result is invalid. A problem list that cannot be made
 * (hb_run_check() refuses such a run first) is reported and that bench
 * skipped, with *failed set. A signal (hb_signal.h) ends the run between
 * measurements; the measurement in progress is dropped. With repeat > 1
 * the whole run (every device, dtype and bench) is done repeat times, each
 * result's repetition saying which (1, 2, ...). Returns HB_OK, or
 * HB_EFAIL when out of memory before anything ran. */
int hb_run_devices(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                   int *failed);

#endif
