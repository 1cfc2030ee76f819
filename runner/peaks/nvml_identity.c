/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_identity: an NVIDIA GPU's UUID and serial number from NVML
 * (nvml_identity.h), the identity nvidia-smi and DCGM show. */
#include "nvml_identity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "nvml_api.h"

/* Holds NVML_DEVICE_UUID_V2_BUFFER_SIZE (96) and NVML_DEVICE_SERIAL_BUFFER_SIZE
 * (30) alike (NVML API Reference, "Constants", docs.nvidia.com/deploy/nvml-api). */
#define HB_NVML_TEXT_BUFFER 96

/* One text query: 1 with the text in out, else 0 with why noted. */
static int text_query(hb_nvml_text_fn fn, const char *name, hb_nvml_device_t h, char *out, size_t len,
                      hb_device *dev)
{
    char buf[HB_NVML_TEXT_BUFFER] = "", why[128];
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

static int wants_nvml(const hb_device *dev)
{
    return hb_nvml_is_nvidia(dev) && dev->has_pci && dev->kind != HB_KIND_HOST;
}

static void identify(const hb_nvml_api *a, hb_device *dev)
{
    hb_nvml_device_t h = NULL;
    char why[256], uuid[sizeof dev->uuid];
    if (!hb_nvml_handle(a, dev, &h, why, sizeof why)) {
        hb_device_identity_note(dev, why);
        return;
    }
    /* NVML answers for the board: what the models could not say no longer
     * matters, only what NVML cannot. Its UUID is the one operators see in
     * nvidia-smi and DCGM: it wins. */
    dev->identity_detail[0] = '\0';
    if (text_query(a->uuid, "nvmlDeviceGetUUID", h, uuid, sizeof uuid, dev)) {
        snprintf(dev->uuid, sizeof dev->uuid, "%s", uuid);
        snprintf(dev->uuid_source, sizeof dev->uuid_source, "nvmlDeviceGetUUID");
    }
    text_query(a->serial, "nvmlDeviceGetSerial", h, dev->serial, sizeof dev->serial, dev);
}

void hb_nvml_identity(hb_device *devs, size_t n)
{
    hb_nvml_api a;
    char why[256];
    size_t wanted = 0;
    for (size_t i = 0; i < n; i++)
        wanted += wants_nvml(&devs[i]);
    if (!wanted)
        return;
    /* one load for every GPU: nvmlInit can take a while on a big node */
    int loaded = hb_nvml_load(&a, why, sizeof why);
    for (size_t i = 0; i < n; i++) {
        if (!wants_nvml(&devs[i]))
            continue;
        if (loaded)
            identify(&a, &devs[i]);
        else if (!devs[i].uuid[0] || !devs[i].serial[0])
            hb_device_identity_note(&devs[i], why);
    }
    if (loaded)
        hb_nvml_unload(&a);
}
