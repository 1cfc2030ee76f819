/* discover: every OpenCL device the ICD loader offers, in platform order,
 * then the native "host" pseudo-device. Indices are the ones `hbmbench list`
 * prints and `--device N` accepts; they are stable while the set of
 * installed ICDs is (ocl-icd sorts platforms; OCL_ICD_PLATFORM_SORT). */
#ifndef HB_DISCOVER_H
#define HB_DISCOVER_H

#include "device.h"
#include "hb_error.h"

typedef struct hb_device_list {
    hb_device *v;
    size_t n;
    size_t n_opencl;            /* v[0..n_opencl) are OpenCL devices, then the host */
    char opencl_status[256];    /* why there are no OpenCL devices, or "" */
} hb_device_list;

/* Fills list. No OpenCL platform is not an error here (the host is still
 * listed); opencl_status says what the loader answered. */
int hb_discover(hb_device_list *list, hb_err *err);
void hb_device_list_free(hb_device_list *list);

#endif
