/* SPDX-License-Identifier: Apache-2.0 */
/* select: the device selector of `run --device`, stable across runs on one
 * machine: a comma-separated list of
 *   N        the device with index N in `hbmbench list`
 *   host     the native host baseline (every host device)
 *   gpu, cpu, accelerator  every device of that kind (OpenCL's device type;
 *            CUDA devices are GPUs; PoCL's device is a CPU, the host is not)
 *   all      every device
 *   default  what no selector selects (below), e.g. "default,host"
 *   TEXT     every device but the host's whose name contains TEXT (case-insensitive)
 * With no selector: every GPU or accelerator, else every CPU device. */
#ifndef HB_SELECT_H
#define HB_SELECT_H

#include "discover.h"

/* chosen[i] is set for each selected list->v[i]. An index out of range or a
 * name that matches nothing fails with HB_ENODEV (exit 3) and says what
 * `hbmbench list` offers. */
int hb_select_devices(const hb_device_list *list, const char *selector, int *chosen, hb_err *err);

#endif
