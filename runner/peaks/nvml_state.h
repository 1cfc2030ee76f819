/* nvml_state: an NVIDIA GPU's clocks, temperature, power, ECC mode and
 * clocks event (throttle) reasons, sampled through NVML before and after
 * each result's timed iterations (runner/driver/measure.c), so a result
 * measured while the GPU slowed down says so (a note, and the result's
 * "telemetry" in the JSON). */
#ifndef HB_NVML_STATE_H
#define HB_NVML_STATE_H

#include <stddef.h>

#include "device.h"
#include "result.h"

typedef struct hb_gpu_probe hb_gpu_probe;

/* NULL when there is nothing to sample: not an NVIDIA device, no PCI bus
 * id, or NVML absent or without this GPU. */
hb_gpu_probe *hb_gpu_probe_open(const hb_device *dev);
void hb_gpu_probe_close(hb_gpu_probe *p);
/* The state now; every field NVML does not answer stays unknown. */
void hb_gpu_probe_sample(hb_gpu_probe *p, hb_gpu_state *out);

/* The judgement, apart from NVML so it is tested without a GPU:
 * clocks_dropped when the SM or memory clock after is more than 5% below
 * the one before; throttled when either sample has a slowdown reason: a
 * software power cap, hardware slowdown, software or hardware thermal
 * slowdown or the power brake (not idle, application clocks, sync boost or
 * the display clock, which are settings, not slowdowns: hb_gpu_reason_name). Sets both flags in t and writes a
 * note for the result into why ("" when neither). */
void hb_gpu_judge(hb_telemetry *t, char *why, size_t len);

/* "sw_power_cap,hw_thermal_slowdown": the names of the bits of mask
 * (hb_gpu_reason_name; "bit12" for one NVML did not define). */
void hb_gpu_reason_names(unsigned long long mask, char *buf, size_t len);

#endif
