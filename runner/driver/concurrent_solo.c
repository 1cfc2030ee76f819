/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent_solo: the --solo file, read and checked before anything is
 * measured or --out is reserved (concurrent.h). A solo figure is what a
 * concurrent result's slowdown and the step's scaling divide by: one of
 * another device, or none at all, would print a confident "nan" or a
 * ratio of two machines. */
#include "concurrent.h"

#include <stdio.h>
#include <string.h>

#include "json_io.h"
#include "text.h"

/* A valid result of dev measured alone (hb_solo_of). */
static int has_alone(const hb_run *file, const hb_device *dev)
{
    for (size_t i = 0; i < file->results.n; i++)
        if (file->results.v[i].valid && hb_solo_of(&file->results.v[i], dev))
            return 1;
    return 0;
}

int hb_solo_load(const char *path, const hb_session *s, const int *chosen, hb_run *file, hb_err *err)
{
    hb_err why = {0};
    memset(file, 0, sizeof *file);
    if (hb_json_read_run(path, file, &why))
        return hb_fail(err, HB_EUSAGE, "--solo: %s", why.msg);
    int rc = HB_OK;
    for (size_t i = 0; i < s->list.n && !rc; i++) {
        const hb_device *dev = &s->list.v[i];
        if (chosen[i] && !has_alone(file, dev))
            rc = hb_fail(err, HB_EUSAGE,
                         "--solo: %s has no valid result of [%d] %s%s%s measured alone, so its solo figures "
                         "would be unknown (measure them with --concurrent alone, without --solo)",
                         path, dev->index, dev->name, dev->pci_bus_id[0] ? " at PCI " : "", dev->pci_bus_id);
    }
    if (rc) {
        hb_run_free_read(file);
        return rc;
    }
    if (strcmp(file->host.hostname, s->host.hostname))
        hb_text_fprintf(stderr, "hbmbench run: warning: --solo: %s was written on host \"%s\", and this is \"%s\": "
                                "the solo figures are another machine's devices of the same name\n",
                        path, file->host.hostname, s->host.hostname);
    return HB_OK;
}
