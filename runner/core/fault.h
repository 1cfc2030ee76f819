/* SPDX-License-Identifier: Apache-2.0 */
/* fault: failures injected on purpose, to test that a run reports them,
 * records them and goes on (docs/testing.md, "Testing failures").
 *
 *   HB_FAULT="alloc:3"          the 3rd buffer allocation through any model fails
 *   HB_FAULT="build:1,write:1"  the 1st OpenCL program build and the 1st
 *                               result-document write fail
 *   HB_FAULT="verify:2"         the 2nd verification of a kernel's output
 *                               (a tuning point's or a final one) fails
 *   HB_FAULT="build-stop:1"     a SIGTERM comes during the 1st OpenCL
 *                               program build, which then fails as LLVM's
 *                               does when it removes its temporary files
 *
 * Each kind is counted in the one place its real failure would come from:
 * alloc in the driver's wrapper around hb_model.alloc (run_devices.c),
 * build in the OpenCL program cache (cl_env.c), write where the result
 * document is written (json_file.c), verify where the driver asks a bench
 * to verify (measure.c). The counters are process-wide: they
 * count events of the process, like the failures they stand for. */
#ifndef HB_FAULT_H
#define HB_FAULT_H

#include "hb_error.h"

typedef enum hb_fault_kind {
    HB_FAULT_ALLOC,
    HB_FAULT_BUILD,
    HB_FAULT_WRITE,
    HB_FAULT_VERIFY,
    HB_FAULT_BUILD_STOP,
    HB_FAULT_KINDS
} hb_fault_kind;

/* Arms the faults of spec (HB_FAULT's value; NULL or "" arms none):
 * comma-separated KIND:N, KIND one of alloc, build, write, verify, build-stop, each at most
 * once, N from 1 to 10^9. HB_EUSAGE with a message naming HB_FAULT when
 * spec is malformed. Resets every counter. */
int hb_fault_init(const char *spec, hb_err *err);

/* Whether a fault of kind is armed (and has not fired yet). */
int hb_fault_armed(hb_fault_kind kind);

/* Counts one event of kind: 1 when it is the one to fail (then say so in
 * the error, with hb_fault_name), else 0. */
int hb_fault_hit(hb_fault_kind kind);

/* "alloc:3": the fault of kind as given, for messages. */
const char *hb_fault_name(hb_fault_kind kind);

#endif
