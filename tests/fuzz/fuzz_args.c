/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_args: `hbmbench run`'s argument parser (runner/cli/run_opts.c) on
 * any argument vector (the input split at newlines). Every vector is
 * either accepted or refused with a usage error (2) and a message; nothing
 * else, and nothing is touched: the parser opens no device and no file. */
#include "fuzz.h"
#include "run_opts.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = hb_fuzz_cstr(data, size), *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "run";
    for (char *p = text, *nl; p && argc < MAX_ARGS + 1; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        argv[argc++] = p;
    }
    argv[argc] = NULL;
    hb_run_opts o;
    hb_err err = {0};
    int rc = hb_run_opts_parse(argc, argv, &o, &err);
    HB_FUZZ_ASSERT(rc == HB_OK || (rc == HB_EUSAGE && err.msg[0]), "code %d: %s", rc, err.msg);
    if (rc == HB_OK && !o.help)
        HB_FUZZ_ASSERT(o.plan.n_dtypes > 0 && o.plan.measure.iters >= 1, "accepted with nothing to run");
    free(text);
    return 0;
}
