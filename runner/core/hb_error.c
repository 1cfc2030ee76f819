/* SPDX-License-Identifier: Apache-2.0 */
/* hb_error: filling an hb_err. */
#include "hb_error.h"

#include <stdarg.h>
#include <stdio.h>

int hb_fail(hb_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}
