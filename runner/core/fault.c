/* SPDX-License-Identifier: Apache-2.0 */
/* fault: HB_FAULT, failures injected on purpose (fault.h). */
#include "fault.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[HB_FAULT_KINDS] = {"alloc", "build", "write", "verify", "build-stop"};

/* Per kind: the event that fails (0: none) and the events counted so far.
 * Atomic: a model may allocate from threads of its own. */
static long fail_at[HB_FAULT_KINDS];
static atomic_long seen[HB_FAULT_KINDS];
static char names[HB_FAULT_KINDS][32];

static int parse_item(const char *item, size_t len, hb_err *err)
{
    const char *colon = memchr(item, ':', len);
    int k = 0;
    while (k < HB_FAULT_KINDS && !(colon && (size_t)(colon - item) == strlen(kind_names[k]) &&
                                   !strncmp(item, kind_names[k], strlen(kind_names[k]))))
        k++;
    if (k == HB_FAULT_KINDS)
        return hb_fail(err, HB_EUSAGE, "HB_FAULT: '%.*s' is not KIND:N (KIND alloc, build, write, verify or build-stop)", (int)len,
                       item);
    char digits[16];
    size_t nd = len - (size_t)(colon + 1 - item);
    if (nd == 0 || nd >= sizeof digits || strspn(colon + 1, "0123456789") < nd)
        return hb_fail(err, HB_EUSAGE, "HB_FAULT: '%.*s': N must be a whole number from 1 to 1000000000", (int)len,
                       item);
    memcpy(digits, colon + 1, nd);
    digits[nd] = '\0';
    long n = atol(digits);
    if (n < 1 || n > 1000000000L)
        return hb_fail(err, HB_EUSAGE, "HB_FAULT: '%.*s': N must be a whole number from 1 to 1000000000", (int)len,
                       item);
    if (fail_at[k])
        return hb_fail(err, HB_EUSAGE, "HB_FAULT: '%s' is given twice", kind_names[k]);
    fail_at[k] = n;
    snprintf(names[k], sizeof names[k], "%s:%ld", kind_names[k], n);
    return HB_OK;
}

int hb_fault_init(const char *spec, hb_err *err)
{
    for (int k = 0; k < HB_FAULT_KINDS; k++) {
        fail_at[k] = 0;
        atomic_store(&seen[k], 0);
        names[k][0] = '\0';
    }
    if (!spec || !*spec)
        return HB_OK;
    for (const char *p = spec;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (parse_item(p, len, err)) {
            for (int k = 0; k < HB_FAULT_KINDS; k++)
                fail_at[k] = 0;
            return HB_EUSAGE;
        }
        if (!comma)
            return HB_OK;
        p = comma + 1;
    }
}

int hb_fault_armed(hb_fault_kind kind)
{
    return fail_at[kind] > 0 && atomic_load(&seen[kind]) < fail_at[kind];
}

int hb_fault_hit(hb_fault_kind kind)
{
    return fail_at[kind] > 0 && atomic_fetch_add(&seen[kind], 1) + 1 == fail_at[kind];
}

const char *hb_fault_name(hb_fault_kind kind)
{
    return names[kind];
}
