/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_identity: the facts that tell one OpenCL device's board from
 * another, for discovery (opencl_discover.c). Private to the OpenCL model. */
#ifndef HB_OPENCL_IDENTITY_H
#define HB_OPENCL_IDENTITY_H

#include <CL/cl.h>

#include "device.h"

/* Whether d lists ext among its CL_DEVICE_EXTENSIONS (a whole word). */
int hb_cl_has_extension(cl_device_id d, const char *ext);

/* dev's PCI location, board name (AMD), compute capability (NVIDIA) and
 * UUID (cl_khr_device_uuid), where the driver answers; why not in dev's
 * identity notes. */
void hb_cl_identify(cl_device_id d, hb_device *dev);

#endif
