/* SPDX-License-Identifier: Apache-2.0 */
/* peak_derived: FLOP/s computed from what the device says about itself,
 * units x clock x lanes x 2, where nothing better answers. Bandwidth is never
 * derived: no OpenCL query gives a memory clock
 * (docs/peaks.md#deriving-flop-rates, docs/peaks.md#why-bandwidth-is-never-derived). */
#ifndef HB_PEAK_DERIVED_H
#define HB_PEAK_DERIVED_H

#include <stddef.h>

#include "device.h"

/* FP32 lanes per SM and the FP32:FP64 divisor for compute capability
 * major.minor, from docs/peaks.md#nvidia-lanes-and-fp64-ratios; either is 0 where it has no figure. */
void hb_nv_sm_rates(unsigned major, unsigned minor, unsigned *fp32_lanes, unsigned *fp64_div);

/* Derives FP32 and FP64 peaks for a CPU device (dev->type "CPU" or the host
 * baseline) or an NVIDIA GPU whose compute capability OpenCL reports. Each of
 * *fp32 / *fp64 gets src HB_PEAK_DERIVED and a detail listing every factor,
 * or stays HB_PEAK_UNKNOWN (value NAN) with the reason in why. */
void hb_peak_derive(const hb_device *dev, hb_peak_value *fp32, hb_peak_value *fp64,
                    char *why, size_t whylen);

#endif
