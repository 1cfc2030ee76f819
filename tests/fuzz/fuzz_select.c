/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_select: the --device selector (runner/discovery/select.c) on any
 * text, over a fixed list of two GPUs, a CPU device and the host. A
 * selector that is accepted selects at least one device, and errors are
 * usage (2) or no such device (3). */
#include "fuzz.h"
#include "select.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[][2] = {{"NVIDIA H100 80GB HBM3", "GPU"}, {"AMD Instinct MI300X", "GPU"},
                                           {"pthread-skylake-avx512-AMD EPYC", "CPU"}, {"host", "HOST"}};
    hb_device devs[4];
    memset(devs, 0, sizeof devs);
    for (int i = 0; i < 4; i++) {
        devs[i].index = i;
        devs[i].kind = i == 3 ? HB_KIND_HOST : i == 2 ? HB_KIND_CPU : HB_KIND_GPU;
        snprintf(devs[i].name, sizeof devs[i].name, "%s", names[i][0]);
        snprintf(devs[i].type, sizeof devs[i].type, "%s", names[i][1]);
    }
    hb_device_list list = {.v = devs, .n = 4};
    int chosen[4];
    hb_err err = {0};
    char *s = hb_fuzz_cstr(data, size);
    int rc = hb_select_devices(&list, s, chosen, &err);
    int any = chosen[0] | chosen[1] | chosen[2] | chosen[3];
    if (rc == HB_OK)
        HB_FUZZ_ASSERT(any, "'%s' accepted but selects no device", s);
    else
        HB_FUZZ_ASSERT(rc == HB_EUSAGE || rc == HB_ENODEV, "'%s': code %d (%s)", s, rc, err.msg);
    free(s);
    return 0;
}
