/* SPDX-License-Identifier: Apache-2.0 */
/* scheduler_env: which batch job this process runs in, from the variables
 * Slurm, PBS and LSF set (docs/usage.md#scheduler-provenance). */
#ifndef HB_SCHEDULER_ENV_H
#define HB_SCHEDULER_ENV_H

#include "scheduler.h"

/* Fills s from the environment: Slurm when SLURM_JOB_ID is set, else PBS
 * when PBS_JOBID is, else LSF when LSB_JOBID is; s->name "" when none is.
 * A malformed value is left "" (null in the result) with one warning on
 * stderr naming the variable; never fails. */
void hb_scheduler_from_env(hb_scheduler *s);

#endif
