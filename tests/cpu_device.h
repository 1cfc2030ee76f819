/* cpu_device: the device the PoCL integration tests run on: the first
 * OpenCL CPU device. Returns 0 with *dev set, 77 (CTest's skip code in
 * these tests) when there is none, 1 when discovery fails. */
#ifndef HB_TEST_CPU_DEVICE_H
#define HB_TEST_CPU_DEVICE_H

#include <stdio.h>
#include <string.h>

#include "discover.h"

static inline int hb_test_cpu_device(hb_device_list *list, hb_device **dev)
{
    hb_err e = {0};
    if (hb_discover(list, &e)) {
        printf("FAIL discover: %s\n", e.msg);
        return 1;
    }
    for (size_t i = 0; i < list->n_opencl; i++)
        if (!strcmp(list->v[i].type, "CPU")) {
            *dev = &list->v[i];
            return 0;
        }
    printf("SKIP: no OpenCL CPU device (%s)\n", list->opencl_status);
    hb_device_list_free(list);
    return 77;
}

#endif
