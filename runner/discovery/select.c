/* SPDX-License-Identifier: Apache-2.0 */
/* select: the device selector of `run --device` (select.h). */
#include "select.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Every model's reason for finding nothing, "; "-separated. */
static void statuses(const hb_device_list *list, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int m = 0; m < list->n_models && used < len; m++)
        if (list->model_status[m][0])
            used += (size_t)snprintf(buf + used, len - used, "%s%s: %s", used ? "; " : "", list->model_name[m],
                                     list->model_status[m]);
    if (!buf[0])
        snprintf(buf, len, "none found");
}

/* Adds the default devices to chosen (without clearing it): every GPU or
 * accelerator, else every CPU device. */
static int select_default(const hb_device_list *list, int *chosen, hb_err *err)
{
    int any = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].kind != HB_KIND_CPU && list->v[i].kind != HB_KIND_HOST)
            any = chosen[i] = 1;
    for (size_t i = 0; i < list->n && !any; i++)
        if (list->v[i].kind == HB_KIND_CPU)
            any = chosen[i] = 1;
    if (!any) {
        char why[1024];
        statuses(list, why, sizeof why);
        return hb_fail(err, HB_ENODEV, "no device to run on (%s); `--device host` runs the native baseline", why);
    }
    return HB_OK;
}

/* A PCI bus id as given ("65:00.0" or "0000:65:00.0", any case) against a
 * device's ("0000:65:00.0"). */
static int same_bus(const char *dev, const char *given)
{
    if (!dev[0])
        return 0;
    if (!strcasecmp(dev, given))
        return 1;
    size_t dl = strlen(dev), gl = strlen(given);
    return gl < dl && dev[dl - gl - 1] == ':' && !strcasecmp(dev + dl - gl, given) && strchr(given, ':');
}

static int bus_matches(const hb_device *d, const char *bus)
{
    return same_bus(d->pci_bus_id, bus);
}

/* A UUID as nvidia-smi prints it ("GPU-..."), or without "GPU-"; any case. */
static int uuid_matches(const hb_device *d, const char *uuid)
{
    const char *u = d->uuid;
    return u[0] && (!strcasecmp(u, uuid) || (!strncasecmp(u, "GPU-", 4) && !strcasecmp(u + 4, uuid)));
}

/* The whole name, exactly: "host numa:1" too; or AMD's board name, since
 * ROCm names the device by its architecture ("gfx942"). */
static int name_matches(const hb_device *d, const char *name)
{
    return !strcmp(d->name, name) || (d->board_name[0] && !strcmp(d->board_name, name));
}

/* "pci:BUSID", "uuid:UUID", "name:NAME": every device whose PCI address,
 * UUID (the one selector a board keeps in every machine and slot) or
 * whole name is the rest of the item, whatever its index. */
static const struct keyed {
    const char *prefix, *what;
    int (*match)(const hb_device *d, const char *value);
} keyed[] = {{"pci:", "at PCI bus id", bus_matches}, {"uuid:", "with UUID", uuid_matches},
             {"name:", "named exactly", name_matches}};

static int select_keyed(const hb_device_list *list, const char *item, const struct keyed *k, int *chosen, hb_err *err)
{
    const char *value = item + strlen(k->prefix);
    int any = 0;
    for (size_t i = 0; i < list->n; i++)
        if (k->match(&list->v[i], value))
            any = chosen[i] = 1;
    return any ? HB_OK : hb_fail(err, HB_ENODEV, "--device %s: no device %s %s (see `hbmbench list`)", item, k->what,
                                 value);
}

/* A whole number 0..max-1 in text, else -1. */
static long index_in(const char *text, size_t max)
{
    char *end;
    errno = 0;
    long idx = strtol(text, &end, 10);
    if (!isdigit((unsigned char)*text) || *end || errno)
        return -1;
    return idx >= 0 && (size_t)idx < max ? idx : (long)max;
}

/* "gpu:N", "cpu:N", "accelerator:N": the N-th device of that kind in list
 * order, which another kind of device can never become. */
static int select_kind_index(const hb_device_list *list, const char *item, hb_device_kind kind, const char *n_text,
                             int *chosen, hb_err *err)
{
    size_t count = 0;
    for (size_t i = 0; i < list->n; i++)
        count += list->v[i].kind == kind;
    long n = index_in(n_text, count);
    if (n < 0)
        return hb_fail(err, HB_EUSAGE, "--device %s: '%s' is not a whole number", item, n_text);
    for (size_t i = 0, seen = 0; i < list->n; i++)
        if (list->v[i].kind == kind && (long)seen++ == n) {
            chosen[i] = 1;
            return HB_OK;
        }
    return hb_fail(err, HB_ENODEV, "--device %s: there %s %zu device%s of that kind (see `hbmbench list`)", item,
                   count == 1 ? "is" : "are", count, count == 1 ? "" : "s");
}

static int select_item(const hb_device_list *list, const char *item, int *chosen, hb_err *err)
{
    /* A blank item would match every name with a space in it. */
    if (item[strspn(item, " \t")] == '\0')
        return hb_fail(err, HB_EUSAGE, "--device: '%s' is blank", item);
    if (strcmp(item, "all") == 0) {
        for (size_t i = 0; i < list->n; i++)
            chosen[i] = 1;
        return HB_OK;
    }
    if (strcmp(item, "default") == 0)
        return select_default(list, chosen, err);
    /* A kind: every device that OpenCL or CUDA reports as such (the host's
     * devices are "host", not "cpu"). */
    static const struct { const char *word; hb_device_kind kind; } kinds[] = {
        {"gpu", HB_KIND_GPU}, {"cpu", HB_KIND_CPU}, {"accelerator", HB_KIND_ACCELERATOR}};
    for (size_t k = 0; k < sizeof keyed / sizeof *keyed; k++)
        if (!strncasecmp(item, keyed[k].prefix, strlen(keyed[k].prefix)))
            return select_keyed(list, item, &keyed[k], chosen, err);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t wl = strlen(kinds[k].word);
        if (!strncasecmp(item, kinds[k].word, wl) && item[wl] == ':')
            return select_kind_index(list, item, kinds[k].kind, item + wl + 1, chosen, err);
        if (strcasecmp(item, kinds[k].word))
            continue;
        int any = 0;
        for (size_t i = 0; i < list->n; i++)
            if (list->v[i].kind == kinds[k].kind)
                any = chosen[i] = 1;
        if (!any)
            return hb_fail(err, HB_ENODEV, "--device %s: no device of that kind (see `hbmbench list`)", item);
        return HB_OK;
    }
    if (strcasecmp(item, "host") == 0) {
        for (size_t i = 0; i < list->n; i++)
            if (list->v[i].kind == HB_KIND_HOST)
                chosen[i] = 1;
        return HB_OK;
    }
    /* An index names an OpenCL or CUDA device, never the host baseline: with
     * no OpenCL driver the host would take index 0, and a script's "the
     * GPU" would measure the CPU and pass. */
    long idx = index_in(item, list->n);
    if (idx >= 0) {
        if ((size_t)idx == list->n || list->v[idx].kind == HB_KIND_HOST) {
            size_t devices = 0;
            for (size_t i = 0; i < list->n; i++)
                devices += list->v[i].kind != HB_KIND_HOST;
            char why[1024];
            if (devices)
                snprintf(why, sizeof why, "`hbmbench list` shows them as 0 to %zu", devices - 1);
            else
                statuses(list, why, sizeof why);
            return hb_fail(err, HB_ENODEV, "--device %s: no OpenCL or CUDA device with that index (%s); an index never "
                           "selects the host baseline (--device host)", item, why);
        }
        chosen[idx] = 1;
        return HB_OK;
    }
    int any = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].kind != HB_KIND_HOST &&
            (contains_nocase(list->v[i].name, item) || contains_nocase(list->v[i].board_name, item)))
            any = chosen[i] = 1;
    if (!any)
        return hb_fail(err, HB_ENODEV, "--device %s: no device name contains '%s' (see `hbmbench list`)", item,
                       item);
    return HB_OK;
}

int hb_select_devices(const hb_device_list *list, const char *selector, int *chosen, hb_err *err)
{
    memset(chosen, 0, list->n * sizeof *chosen);
    if (!selector || !strcmp(selector, "default"))
        return select_default(list, chosen, err);
    /* strtok_r skips empty items, so "," once selected nothing and the run
     * went on with no device (found by tests/fuzz/fuzz_select.c). */
    size_t len = strlen(selector);
    if (!len || selector[0] == ',' || selector[len - 1] == ',' || strstr(selector, ",,"))
        return hb_fail(err, HB_EUSAGE, "--device: '%s' has an empty item", selector);
    char *copy = strdup(selector), *save = NULL;
    if (!copy)
        return hb_fail(err, HB_EFAIL, "out of memory");
    int rc = HB_OK;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
        rc = select_item(list, tok, chosen, err);
    free(copy);
    return rc;
}
