/* SPDX-License-Identifier: Apache-2.0 */
/* host_collect: the machine a run happened on (runner/core/host_info.h),
 * from the OS and the loaded hwloc topology (host_collect.c). */
#ifndef HB_HOST_COLLECT_H
#define HB_HOST_COLLECT_H

#include "hb_error.h"
#include "host_info.h"
#include "topology.h"

/* Fills info from the OS and the loaded topology. */
int hb_host_info_collect(hb_topology *topo, hb_host_info *info, hb_err *err);

#endif
