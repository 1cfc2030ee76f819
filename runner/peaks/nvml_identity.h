/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_identity: an NVIDIA GPU's UUID (nvmlDeviceGetUUID, "GPU-" and
 * 8-4-4-4-12 hex) and serial number (nvmlDeviceGetSerial, boards with an
 * inforom only) from NVML, found by the device's PCI bus id. */
#ifndef HB_NVML_IDENTITY_H
#define HB_NVML_IDENTITY_H

#include <stddef.h>

#include "device.h"

/* Whether dev is NVIDIA's: PCI vendor 0x10de or a vendor name saying so. */
int hb_nvml_is_nvidia(const hb_device *dev);

/* Fills each NVIDIA device's uuid (NVML's wins over a model's),
 * uuid_source and serial, loading NVML once for all of devs[0..n); a
 * failed call leaves them as they were and notes its error name in
 * identity_detail. Devices not NVIDIA's or without a PCI bus id are left
 * alone. */
void hb_nvml_identity(hb_device *devs, size_t n);

#endif
