/* SPDX-License-Identifier: Apache-2.0 */
/* cl_util: OpenCL error names and checked calls. Every OpenCL call's status
 * goes through hb_cl_check so a failure reads "clCreateBuffer: CL_OUT_OF_RESOURCES"
 * rather than "-5". */
#ifndef HB_CL_UTIL_H
#define HB_CL_UTIL_H

#include <CL/cl.h>

#include "device.h"
#include "hb_error.h"

/* "CL_OUT_OF_RESOURCES" for -5; "CL_UNKNOWN_ERROR(<n>)"-style text otherwise
 * (written into a static table entry, so always a valid string). */
const char *hb_cl_error_name(cl_int status);

/* HB_OK if status == CL_SUCCESS; otherwise fills err with
 * "<call>: <ERROR_NAME>" (plus context if given) and returns HB_EFAIL. */
int hb_cl_check(cl_int status, const char *call, hb_err *err);

#endif
