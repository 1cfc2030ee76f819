/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_solo: a --solo file through the check run applies before anything
 * is measured (hb_solo_load, runner/driver/concurrent_solo.c), for one
 * chosen device. Checked: it is accepted only when it holds a valid
 * result measured alone of that device; refused, it is a usage error (2)
 * naming --solo, and keeps nothing. */
#include "concurrent.h"
#include "fuzz_memfile.h"
#include "json_io.h"

static int has_alone(const hb_run *run, const hb_device *dev)
{
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (r->valid && !r->concurrent_devices && !strcmp(r->device, dev->name) &&
            !strcmp(r->pci_bus_id, dev->pci_bus_id))
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = hb_fuzz_memfile(data, size, path, sizeof path);
    hb_device dev;
    memset(&dev, 0, sizeof dev);
    snprintf(dev.name, sizeof dev.name, "Fixture GPU");
    snprintf(dev.pci_bus_id, sizeof dev.pci_bus_id, "0000:65:00.0");
    hb_session s;
    memset(&s, 0, sizeof s);
    s.list.v = &dev;
    s.list.n = 1;
    snprintf(s.host.hostname, sizeof s.host.hostname, "fixture-a");
    int chosen = 1;
    hb_run file;
    hb_err err = {0};
    int rc = hb_solo_load(path, &s, &chosen, &file, &err);
    if (rc == HB_OK) {
        HB_FUZZ_ASSERT(has_alone(&file, &dev), "accepted without a valid result of the device measured alone");
        hb_run_free_read(&file);
    } else {
        HB_FUZZ_ASSERT(rc == HB_EUSAGE && !strncmp(err.msg, "--solo: ", 8), "refused with %d: %s", rc, err.msg);
        HB_FUZZ_ASSERT(file.results.n == 0 && file.devices == NULL, "a refused file keeps data");
    }
    close(fd);
    return 0;
}
