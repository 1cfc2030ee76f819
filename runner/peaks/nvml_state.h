/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_state: an NVIDIA GPU's clocks, temperature, power, ECC mode and
 * clocks event (throttle) reasons, sampled through NVML before and after
 * the final measurement's timed iterations (runner/driver/batch.c), and by
 * a background thread at a fixed period across a window of at least
 * HB_GPU_WINDOW_S around the whole final measurement (from before its
 * warm-up to after its verification, runner/driver/measure.c), so a result
 * measured while the GPU slowed down says so (a note, and the result's
 * "telemetry" in the JSON). The two point samples on either side of a
 * 10 ms batch cannot show power or throttling; the window can. NVML is
 * thread-safe ("NVML is thread-safe so it is safe to make simultaneous
 * NVML calls from multiple threads", NVML API Reference), so the thread and
 * the point samples share one handle. */
#ifndef HB_NVML_STATE_H
#define HB_NVML_STATE_H

#include <stddef.h>

#include "device.h"
#include "result.h"

typedef struct hb_gpu_probe hb_gpu_probe;

/* The window lasts at least this long: power and throttling change over
 * hundreds of milliseconds, and NVML's power reading is itself an average
 * over 1 s on Ampere (except GA100) and later GPUs (NVML API Reference,
 * nvmlDeviceGetPowerUsage). When the final measurement is shorter (a 1 GiB
 * triad takes about 10 ms on an H100), sampling goes on until the window
 * is full; nothing more is timed. */
#define HB_GPU_WINDOW_S 1.0
/* The sampling period: 40 samples over the shortest window, enough for a
 * median and to catch a slowdown of a few tens of milliseconds; each sample
 * is five NVML queries, so the thread stays a small load beside the one
 * launching kernels, and a shorter period would mostly re-read values NVML
 * has not updated (the 1 s power average above). */
#define HB_GPU_PERIOD_S 0.025

/* NULL when there is nothing to sample: not an NVIDIA device, no PCI bus
 * id, or NVML absent or without this GPU. */
hb_gpu_probe *hb_gpu_probe_open(const hb_device *dev);
void hb_gpu_probe_close(hb_gpu_probe *p);
/* The state now; every field NVML does not answer stays unknown. */
void hb_gpu_probe_sample(hb_gpu_probe *p, hb_gpu_state *out);

/* Starts the window's sampler thread (a window left running by a failed
 * measurement is dropped first). 0 when there is no probe or no thread. */
int hb_gpu_window_begin(hb_gpu_probe *p);
/* Waits until HB_GPU_WINDOW_S has passed since hb_gpu_window_begin (or a
 * signal asks the run to stop), stops the thread and puts the min, median
 * and max of each quantity and the union of the throttle reasons seen into
 * t->window (samples 0: no window was running), and the NVML file into
 * t->library. Nothing without a probe. */
void hb_gpu_window_end(hb_gpu_probe *p, hb_telemetry *t);

/* The judgement, apart from NVML so it is tested without a GPU:
 * clocks_dropped when the SM or memory clock after is more than 5% below
 * the one before; throttled when either sample has a slowdown reason: a
 * software power cap, hardware slowdown, software or hardware thermal
 * slowdown or the power brake (not idle, application clocks, sync boost or
 * the display clock, which are settings, not slowdowns: hb_gpu_reason_name),
 * and so does the window's union of reasons. Sets both flags in t and
 * writes a note for the result into why ("" when neither). */
void hb_gpu_judge(hb_telemetry *t, char *why, size_t len);

/* "sw_power_cap,hw_thermal_slowdown": the names of the bits of mask
 * (hb_gpu_reason_name; "bit12" for one NVML did not define). */
void hb_gpu_reason_names(unsigned long long mask, char *buf, size_t len);

#endif
