/* SPDX-License-Identifier: Apache-2.0 */
/* figure: the figures families declare, and their values. */
#include "figure.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const hb_figure hb_figure_bandwidth = {
    .name = "bandwidth", .unit = "GB/s", .count = HB_COUNT_BYTES, .scale = 1e-9, .peak = HB_BASIS_BANDWIDTH,
    .about = "counted bytes per iteration / its time, 1 GB/s = 1e9 bytes/s; best from the fastest iteration",
};

const hb_figure hb_figure_flops = {
    .name = "flops", .unit = "GFLOP/s", .count = HB_COUNT_FLOPS, .scale = 1e-9, .peak = HB_BASIS_FLOPS,
    .about = "floating-point operations per iteration / its time, 1 GFLOP/s = 1e9 FLOP/s (an FMA is 2)",
};

const hb_figure hb_figure_link = {
    .name = "bandwidth", .unit = "GB/s", .count = HB_COUNT_BYTES, .scale = 1e-9, .peak = HB_BASIS_LINK,
    .about = "bytes copied per iteration / its time, 1 GB/s = 1e9 bytes/s, against the host <-> device link",
};

const hb_figure hb_figure_latency = {
    .name = "latency", .unit = "ns", .lower_is_better = 1, .count = HB_COUNT_OPS, .time_per_count = 1,
    .scale = 1e9, .peak = HB_BASIS_NONE,
    .about = "an iteration's time / the dependent loads it made, in ns per load; best from the fastest iteration",
};

double hb_figure_value(const hb_figure *f, double count, double seconds)
{
    if (!(count > 0) || !(seconds > 0) || !isfinite(count) || !isfinite(seconds))
        return NAN;
    return f->time_per_count ? seconds / count * f->scale : count / seconds * f->scale;
}
