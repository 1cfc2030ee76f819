/* SPDX-License-Identifier: Apache-2.0 */
/* hb_error: how failures travel up to the command that reports them.
 *
 * No function below a command prints an error or exits: it fills an hb_err
 * and returns its code; the command prints err.msg once and exits with the
 * code. The codes are the process exit codes documented in README.md. */
#ifndef HB_ERROR_H
#define HB_ERROR_H

enum hb_exit {
    HB_OK = 0,       /* success */
    HB_EFAIL = 1,    /* a measurement failed verification, or a device/runtime call failed */
    HB_EUSAGE = 2,   /* bad usage: unknown option, bad value, unreadable input file */
    HB_ENODEV = 3,   /* no OpenCL platform, or no device matched the selector */
};

typedef struct hb_err {
    int code;
    char msg[1024];
} hb_err;

/* Sets err (if not NULL) to code and the formatted message; returns code. */
int hb_fail(hb_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
