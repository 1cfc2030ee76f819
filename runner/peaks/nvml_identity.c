/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_identity: an NVIDIA GPU's UUID and serial number from NVML
 * (nvml_identity.h), the identity nvidia-smi and DCGM show. */
#include "nvml_identity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "nvml_api.h"

/* NVML_DEVICE_UUID_V2_BUFFER_SIZE and NVML_DEVICE_SERIAL_BUFFER_SIZE
 * (NVML API Reference, "Constants", docs.nvidia.com/deploy/nvml-api). */
#define HB_NVML_UUID_BUFFER 96
#define HB_NVML_SERIAL_BUFFER 30

/* One text query: 1 with the text in out, else 0 with why noted. */
static int text_query(hb_nvml_text_fn fn, const char *name, hb_nvml_device_t h, char *out, size_t len,
                      hb_device *dev)
{
    char buf[HB_NVML_UUID_BUFFER] = "", why[128];
    if (!fn) {
        snprintf(why, sizeof why, "NVML: the library has no %s", name);
        hb_device_identity_note(dev, why);
        return 0;
    }
    int rc = fn(h, buf, sizeof buf);
    buf[sizeof buf - 1] = '\0';
    if (rc != HB_NVML_SUCCESS || !buf[0]) {
        snprintf(why, sizeof why, "%s: %s", name, rc != HB_NVML_SUCCESS ? hb_nvml_error_name(rc) : "empty");
        hb_device_identity_note(dev, why);
        return 0;
    }
    snprintf(out, len, "%s", buf);
    return 1;
}

int hb_nvml_is_nvidia(const hb_device *dev)
{
    return dev->pci_vendor_id == 0x10de || strcasestr(dev->vendor, "NVIDIA") != NULL;
}

void hb_nvml_identity(hb_device *dev)
{
    hb_nvml_api a;
    hb_nvml_device_t h = NULL;
    char why[256];
    char uuid[sizeof dev->uuid];
    if (!hb_nvml_is_nvidia(dev) || !dev->has_pci || dev->kind == HB_KIND_HOST)
        return;
    if (!hb_nvml_load(&a, why, sizeof why)) {
        if (!dev->uuid[0] || !dev->serial[0])
            hb_device_identity_note(dev, why);
        return;
    }
    if (hb_nvml_handle(&a, dev, &h, why, sizeof why)) {
        /* NVML's UUID is the one operators see in nvidia-smi and DCGM: it wins. */
        if (text_query(a.uuid, "nvmlDeviceGetUUID", h, uuid, sizeof uuid, dev)) {
            snprintf(dev->uuid, sizeof dev->uuid, "%s", uuid);
            snprintf(dev->uuid_source, sizeof dev->uuid_source, "nvmlDeviceGetUUID");
        }
        text_query(a.serial, "nvmlDeviceGetSerial", h, dev->serial, sizeof dev->serial, dev);
    } else {
        hb_device_identity_note(dev, why);
    }
    hb_nvml_unload(&a);
}
