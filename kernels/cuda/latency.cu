/* SPDX-License-Identifier: Apache-2.0 */
/* latency.cu: the pointer chase of the latency bench (benches/latency.h),
 * in CUDA C++ for the cuda model, compiled at run time by NVRTC
 * (runner/models/cuda/cuda_nvrtc.c) and launched as <<<1, 1>>>.
 *
 * One thread follows i = next[i] `loads` times from `start` and writes
 * where it ended to out[0]. Each load's address is the value of the load
 * before, so the loads run one after another (gpu-benches' gpu-latency
 * chases the same way: github.com/te42kyfo/gpu-benches). next is not
 * __restrict__: a const __restrict__ pointer lets the compiler read
 * through the read-only (non-coherent) path, a different cache route
 * than a plain global load, which is what the other models measure. */
typedef unsigned long long u64;
typedef unsigned int u32;

extern "C" __global__ void latency(const u32 *next, u32 *out, u32 start, u64 loads)
{
    u32 i = start;
    for (u64 k = 0; k < loads; k++)
        i = next[i];
    out[0] = i;
}
