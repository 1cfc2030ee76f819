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
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
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
    char *end;
    errno = 0;
    long idx = strtol(item, &end, 10);
    if (*item && *end == '\0' && !errno) {
        if (idx < 0 || (size_t)idx >= list->n)
            return hb_fail(err, HB_ENODEV, "--device %s: no device with that index (`hbmbench list` shows 0 to %zu)",
                           item, list->n - 1);
        chosen[idx] = 1;
        return HB_OK;
    }
    int any = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].kind != HB_KIND_HOST && contains_nocase(list->v[i].name, item))
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
