/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_rules: the acceptance rules file (runner/check/check_rules.c) on any
 * text. A file is either read, and then every rule names a metric and a
 * comparison, or refused with a usage error (2) that names the file. */
#include "acceptance.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_check_rules rules = {0};
    hb_err err = {0};
    int rc = hb_check_rules_parse((const char *)data, size, "fuzz.json", &rules, &err);
    if (rc == HB_OK)
        hb_check_rules_free(&rules);
    else
        HB_FUZZ_ASSERT(rc == HB_EUSAGE && strstr(err.msg, "fuzz.json"), "code %d: %s", rc, err.msg);
    return 0;
}
