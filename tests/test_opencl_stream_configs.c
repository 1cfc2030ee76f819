/* SPDX-License-Identifier: Apache-2.0 */
/* test_opencl_stream_configs: the OpenCL stream tuning grid
 * (runner/models/opencl/opencl_stream_configs.c) holds only the coalesced
 * grid pattern on a GPU and on an accelerator, in the default, quick and
 * full grids of every stream kernel, while a CPU device keeps its block
 * points. No device is needed: the grid depends on the device's type. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "opencl_kernels.h"

static int failures;

/* How many of the n points use the block pattern (or carry "streams",
 * a block-pattern dimension). */
static int blocks(const hb_params *cfgs, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        const hb_param *p = hb_params_get(&cfgs[i], "pattern");
        k += !p || strcmp(hb_param_text(&cfgs[i], p), "grid") != 0 || hb_params_get(&cfgs[i], "streams") != NULL;
    }
    return k;
}

int main(void)
{
    static const hb_device_kind kinds[] = {HB_KIND_GPU, HB_KIND_ACCELERATOR, HB_KIND_CPU};
    static hb_params cfgs[512];
    int checked = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        hb_device dev = {.kind = kinds[k]};
        snprintf(dev.type, sizeof dev.type, "%s", hb_device_kind_name(kinds[k]));
        for (const hb_bench *const *b = hb_benches; *b; b++) {
            if (strcmp((*b)->family->name, "stream"))
                continue;
            for (int tune = 0; tune <= 2; tune++) {
                hb_bench_ctx ctx = {.bench = *b, .dev = &dev, .dtype = HB_F32, .tune = tune};
                int n = hb_cl_stream_configs(&ctx, cfgs, (int)(sizeof cfgs / sizeof *cfgs));
                int nb = blocks(cfgs, n);
                checked++;
                if (n < 1) {
                    printf("FAIL %s %s tune %d: no configuration\n", dev.type, (*b)->name, tune);
                    failures++;
                } else if (kinds[k] != HB_KIND_CPU && nb) {
                    printf("FAIL %s %s tune %d: %d of %d points are not the grid pattern\n", dev.type,
                           (*b)->name, tune, nb, n);
                    failures++;
                } else if (kinds[k] == HB_KIND_CPU && tune == 2 && !nb) {
                    printf("FAIL CPU %s full grid: no block point\n", (*b)->name);
                    failures++;
                }
            }
        }
    }
    printf("%d grids checked: %s\n", checked, failures ? "FAILED" : "ok");
    return failures != 0 || checked == 0;
}
