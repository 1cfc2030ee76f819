/* SPDX-License-Identifier: Apache-2.0 */
/* The cuda model's arithmetic without a GPU (runner/models/cuda/cuda_geometry.h,
 * cuda_nvrtc.h, cuda_kernels.h): the tuning grid, grid sizing, the
 * occupancy estimate against figures NVIDIA publishes, the rounding chain,
 * the packing of kernel arguments, the architecture NVRTC is asked for,
 * and the PCI bus id that ties a CUDA device to its OpenCL twin. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "cuda_geometry.h"
#include "cuda_kernels.h"
#include "cuda_nvrtc.h"
#include "sizing.h"

/* H100/H200 SXM (compute capability 9.0): 132 SMs, 2048 threads, 32 blocks,
 * 64 K registers and 228 KiB shared memory per SM, 1024 threads per block
 * (CUDA C++ Programming Guide, "Compute Capabilities", technical
 * specifications table; SM count from NVIDIA's H100/H200 datasheets). */
static const hb_cu_limits h200 = {
    .sms = 132, .max_threads_per_block = 1024, .max_threads_per_sm = 2048, .max_blocks_per_sm = 32,
    .regs_per_sm = 65536, .smem_per_sm = 233472, .max_grid_x = 2147483647u, .cc_major = 9, .cc_minor = 0,
};

static void test_grid(void)
{
    hb_cu_stream_cfg c[128];
    for (int red = 0; red <= 1; red++)
        for (int f64 = 0; f64 <= 1; f64++) {
            int n0 = hb_cu_stream_grid(red, f64, 0, c, 128);
            hb_cu_stream_cfg def = c[0];
            int n1 = hb_cu_stream_grid(red, f64, 1, c, 128);
            CHECK(n0 == 1 && !memcmp(&def, &c[0], sizeof def), "red=%d f64=%d: tune off is the quick default", red, f64);
            int n2 = hb_cu_stream_grid(red, f64, 2, c, 128);
            CHECK(n1 > 4 && n2 > n1 && n2 <= 128 && !memcmp(&def, &c[0], sizeof def),
                  "red=%d f64=%d: quick %d, full %d points, default first", red, f64, n1, n2);
            int bad = 0, dup = 0, atomics = 0;
            for (int i = 0; i < n2; i++) {
                bad += c[i].block % 32 != 0 || c[i].block > 1024 || (f64 && c[i].vec > 2) ||
                       (!red && c[i].atomic) || (c[i].atomic && !c[i].loop);
                atomics += c[i].atomic;
                for (int j = 0; j < i; j++)
                    dup += !memcmp(&c[i], &c[j], sizeof c[i]);
            }
            CHECK(!bad && !dup && (red ? atomics > 0 : atomics == 0),
                  "red=%d f64=%d: every point valid (%d bad), distinct (%d dup), atomics only for reductions", red, f64,
                  bad, dup);
        }
    CHECK(hb_cu_stream_grid(0, 0, 2, c, 5) == 5, "the grid stops at max");
}

static void test_params(void)
{
    hb_cu_stream_cfg in = {512, 2, 4, 0, 0}, out;
    hb_params p = {0};
    hb_cu_cfg_put(&in, 0, &p);
    CHECK(!hb_cu_cfg_get(&p, 0, &out) && !memcmp(&in, &out, sizeof in) && !hb_params_get(&p, "reduce"),
          "array config round trip");
    hb_cu_stream_cfg r = {256, 4, 2, 1, 1};
    hb_cu_cfg_put(&r, 1, &p);
    CHECK(!hb_cu_cfg_get(&p, 1, &out) && !memcmp(&r, &out, sizeof r) &&
              !strcmp(hb_params_text(&p, "reduce"), "atomic") &&
              !strcmp(hb_params_text(&p, "loop"), "grid-stride"), "reduction config round trip");
    hb_params_set_num(&p, "vec", 3);
    CHECK(hb_cu_cfg_get(&p, 1, &out) == HB_EFAIL, "vec 3 rejected");
    hb_params_set_num(&p, "vec", 4);
    hb_params_set_text(&p, "loop", "sideways");
    CHECK(hb_cu_cfg_get(&p, 1, &out) == HB_EFAIL, "unknown loop rejected");
    hb_params q = {0};
    hb_params_set_num(&q, "wg", 256);
    CHECK(hb_cu_cfg_get(&q, 0, &out) == HB_EFAIL, "an OpenCL config is not a CUDA one");
    char d[128];
    hb_cu_cfg_defines(&r, 1, d, sizeof d);
    CHECK(!strcmp(d, "-DHB_F64=1 -DHB_VEC=4 -DHB_ILP=2 -DHB_LOOP=1 -DHB_ATOMIC=1"), "defines: %s", d);
}

static void test_occupancy(void)
{
    /* threads alone: 2048 / 256 = 8 blocks; 1024 -> 2 */
    CHECK(hb_cu_occupancy_estimate(&h200, 256, 0, 0) == 8, "256 threads: 8 blocks per SM");
    CHECK(hb_cu_occupancy_estimate(&h200, 1024, 0, 0) == 2, "1024 threads: 2 blocks per SM");
    /* the block limit: 64-thread blocks stop at 32 per SM */
    CHECK(hb_cu_occupancy_estimate(&h200, 32, 0, 0) == 32, "32 threads: the 32-block limit");
    /* registers: 64 per thread x 256 threads = 16384 -> 4 blocks; 40 per
     * thread round up per warp to 1280 (5 x 256) -> 8 warps x 1280 = 10240
     * per block -> 6 blocks */
    CHECK(hb_cu_occupancy_estimate(&h200, 256, 64, 0) == 4, "64 registers: 4 blocks of 256");
    CHECK(hb_cu_occupancy_estimate(&h200, 256, 40, 0) == 6, "40 registers, per-warp granularity: 6 blocks");
    CHECK(hb_cu_occupancy_estimate(&h200, 256, 255, 0) == 1, "255 registers: 1 block");
    /* shared memory: 100 KiB per block -> 2 */
    CHECK(hb_cu_occupancy_estimate(&h200, 128, 16, 100 * 1024) == 2, "100 KiB shared: 2 blocks");
    CHECK(hb_cu_occupancy_estimate(&h200, 2048, 0, 0) == 0, "a block above the limit cannot run");
    CHECK(fabs(hb_cu_occupancy(&h200, 256, 8) - 1.0) < 1e-12 && fabs(hb_cu_occupancy(&h200, 256, 4) - 0.5) < 1e-12,
          "occupancy fraction");
}

static void test_blocks(void)
{
    hb_cu_stream_cfg gs = {256, 4, 1, 1, 0}, once = {256, 4, 2, 0, 0};
    uint64_t big = 1ULL << 28; /* 1 GiB of f32 */
    CHECK(hb_cu_grid_blocks(&h200, &gs, 8, big) == 132 * 8, "grid-stride: one full wave (1056 blocks)");
    CHECK(hb_cu_grid_blocks(&h200, &gs, 8, 4096) == 4, "grid-stride: no more blocks than work (4096 -> 4)");
    CHECK(hb_cu_grid_blocks(&h200, &gs, 8, 3) == 1, "fewer elements than a vector: one block for the tail");
    CHECK(hb_cu_grid_blocks(&h200, &once, 8, big) == big / 4 / 512, "one pass covers the array");
    CHECK(hb_cu_grid_blocks(&h200, &once, 8, big + 1) == big / 4 / 512, "one pass: the tail is not a block");
    CHECK(hb_cu_grid_blocks(&h200, &once, 8, big + 4) == big / 4 / 512 + 1, "one pass rounds up");
    /* more than 2^31 elements: indices and counts stay 64-bit */
    uint64_t huge = 5ULL << 31;
    CHECK(hb_cu_grid_blocks(&h200, &once, 8, huge) == huge / 4 / 512, "one pass over 2^33+ elements");
    hb_cu_limits small = h200;
    small.max_grid_x = 65535;
    CHECK(hb_cu_grid_blocks(&small, &once, 8, huge) == 0, "one pass beyond the grid limit is refused");
    CHECK(hb_cu_grid_blocks(&small, &gs, 8, huge) == 1056, "grid-stride fits any size");
}

static void test_chain(void)
{
    hb_cu_stream_cfg gs = {256, 4, 2, 1, 0}, at = {256, 4, 2, 1, 1};
    uint64_t n = 1ULL << 28, blocks = 1056;
    double c = hb_cu_chain(&gs, n, blocks, 1);
    /* 2^26 vectors over 270336 threads: 249 each, 125 per accumulator + 2 */
    double expect = (125 + 2) + 1 + 3 + 4 + 1 + 5 + 3 + 4;
    CHECK(fabs(c - expect) < 1e-9, "dot chain %.0f (expected %.0f)", c, expect);
    CHECK(fabs(hb_cu_chain(&at, n, blocks, 1) - (expect + 1056)) < 1e-9, "atomics add one per block");
    CHECK(hb_cu_chain(&gs, n, blocks, 0) == expect - 1, "read has no product rounding");
}

static void test_pack(void)
{
    hb_cu_stream_args a = {.a = 0x1000, .b = 0x2000, .c = 0x3000, .s32 = 3.0f, .s64 = 3.0, .n = 5ULL << 31};
    void *p[8];
    CHECK(hb_cu_pack_args(&a, 0, 0, p) == 5 && p[0] == &a.a && p[1] == &a.b && p[2] == &a.c && p[3] == &a.s32 &&
              p[4] == &a.n, "f32 array kernel: a, b, c, float s, n");
    CHECK(hb_cu_pack_args(&a, 0, 1, p) == 5 && p[3] == &a.s64 && *(double *)p[3] == 3.0,
          "f64 array kernel: double s");
    CHECK(hb_cu_pack_args(&a, 1, 1, p) == 4 && p[2] == &a.c && p[3] == &a.n && *(uint64_t *)p[3] == 5ULL << 31,
          "reduction: a, b, partial, 64-bit n");
    CHECK(sizeof a.a == 8 && sizeof a.n == 8, "pointers and n are 8 bytes, as the kernels take them");
}

static void test_arch(void)
{
    int archs[] = {75, 80, 86, 87, 89, 90, 100, 120}, exact;
    CHECK(hb_nvrtc_pick_arch(archs, 8, 90, &exact) == 90 && exact, "sm_90 listed: exact");
    CHECK(hb_nvrtc_pick_arch(archs, 8, 103, &exact) == 100 && !exact, "sm_103 not listed: compute_100");
    CHECK(hb_nvrtc_pick_arch(archs, 8, 70, &exact) == -1, "sm_70 below every arch: none");
    CHECK(hb_nvrtc_pick_arch(archs, 0, 61, &exact) == 61 && exact, "no list: the device's own");
}

static void test_pci(void)
{
    hb_device d;
    memset(&d, 0, sizeof d);
    CHECK(hb_cu_parse_pci("0000:65:00.0", &d) && d.has_pci && !strcmp(d.pci_bus_id, "0000:65:00.0") &&
              d.pci_bus == 0x65, "0000:65:00.0");
    memset(&d, 0, sizeof d);
    CHECK(hb_cu_parse_pci("00000000:1B:00.0", &d) && !strcmp(d.pci_bus_id, "0000:1b:00.0"),
          "NVML-style 8-digit domain, upper case -> %s", d.pci_bus_id);
    memset(&d, 0, sizeof d);
    CHECK(!hb_cu_parse_pci("garbage", &d) && !d.has_pci, "malformed id refused");
}

/* NVIDIA's OpenCL caps one allocation at a quarter of the memory (H200:
 * 143 GB, CL_DEVICE_MAX_MEM_ALLOC_SIZE about 35.8 GB; research
 * peers-gpu-and-fleet.md 4): auto sizing and explicit sizes must respect
 * it, and arrays beyond 2^31 elements must be accepted where they fit. */
static void test_sizing(void)
{
    hb_device d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "NVIDIA H200");
    d.kind = HB_KIND_GPU;
    d.global_mem_bytes = 150121676800ULL;       /* 143,166 MiB */
    d.max_alloc_bytes = d.global_mem_bytes / 4;
    d.global_cache_bytes = 60ULL << 20;
    hb_size autosz = {.is_auto = 1}, big = {.is_bytes = 1, .value = 20ULL << 30},
            too_big = {.is_bytes = 1, .value = 36ULL << 30};
    uint64_t n = 0;
    char why[256];
    hb_err e = {0};
    CHECK(!hb_plan_elements(&d, NULL, &autosz, 4, &n, why, sizeof why, &e) && n * 4 <= d.max_alloc_bytes &&
              n * 4 >= 1ULL << 30, "auto: %s", why);
    CHECK(!hb_plan_elements(&d, NULL, &big, 4, &n, why, sizeof why, &e) && n == 5ULL << 30 && n > (1ULL << 31),
          "20 GiB of f32 fits: %llu elements, beyond 2^31", (unsigned long long)n);
    CHECK(hb_plan_elements(&d, NULL, &too_big, 4, &n, why, sizeof why, &e) == HB_EUSAGE && strstr(e.msg, "does not fit"),
          "36 GiB per array exceeds the limit (3 arrays in 60%% binds before the quarter): %s", e.msg);
    d.global_cache_bytes = 16ULL << 30; /* a cache so large that 4x it exceeds the limit */
    d.max_alloc_bytes = d.global_mem_bytes / 8; /* where the allocation limit binds first */
    CHECK(!hb_plan_elements(&d, NULL, &autosz, 8, &n, why, sizeof why, &e) && n * 8 <= d.max_alloc_bytes &&
              n * 8 > d.max_alloc_bytes - (4096 * 8) && strstr(why, "capped by memory"),
          "auto capped by the allocation limit: %s", why);
    CHECK(hb_plan_elements(&d, NULL, &big, 4, &n, why, sizeof why, &e) == HB_EUSAGE,
          "20 GiB above a 17.5 GB allocation limit refused");
}

int main(void)
{
    test_sizing();
    test_grid();
    test_params();
    test_occupancy();
    test_blocks();
    test_chain();
    test_pack();
    test_arch();
    test_pci();
    return hb_check_failures() != 0;
}
