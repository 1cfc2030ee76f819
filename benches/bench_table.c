/* SPDX-License-Identifier: Apache-2.0 */
/* bench_table: the benches and families, in the order `hbmbench run` runs them. */
#include "bench.h"
#include "gemm.h"
#include "latency.h"
#include "roofline.h"
#include "stream.h"
#include "transfer.h"

/* The stream kernels, from the one table of them (stream.h). */
#define HB_STREAM_EXTERN(ID, nm, formula, reads, writes, flops, reduction) extern const hb_bench hb_bench_##nm;
HB_STREAM_KERNELS(HB_STREAM_EXTERN)
#undef HB_STREAM_EXTERN

/* The stream family is the default set; gemm, roofline, the transfers
 * and latency run when asked for (--bench). */
const hb_bench *const hb_benches[] = {
#define HB_STREAM_ENTRY(ID, nm, formula, reads, writes, flops, reduction) &hb_bench_##nm,
    HB_STREAM_KERNELS(HB_STREAM_ENTRY)
#undef HB_STREAM_ENTRY
    &hb_bench_gemm, &hb_bench_roofline, &hb_bench_h2d, &hb_bench_d2h, &hb_bench_bidir, &hb_bench_latency, NULL,
};

const hb_family *const hb_families[] = {&hb_family_stream, &hb_family_gemm, &hb_family_roofline,
                                        &hb_family_transfer, &hb_family_latency, NULL};
