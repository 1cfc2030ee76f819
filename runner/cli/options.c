/* SPDX-License-Identifier: Apache-2.0 */
/* options: one parser and one --help writer over a command's option
 * table (options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_OPTS 64
#define HELP_ID (int)'h' /* what -h returns too */
#define FIRST_ID 256    /* getopt's codes of the table's options: above 1 (an operand) and 'h' */
#define HEAD_WIDTH 17   /* "  --name ARG" padded to it: the help starts at column 20 */
#define LINE_WIDTH 80

/* "from 1 to 100000", "above 0 to 1", "0 or more", "above 0". */
static void range_of(const hb_opt *o, char *buf, size_t len)
{
    if (isinf(o->hi))
        snprintf(buf, len, o->lo_open ? "above %g" : "%g or more", o->lo);
    else
        snprintf(buf, len, "%s %g to %g", o->lo_open ? "above" : "from", o->lo, o->hi);
}

static int number(const hb_opt *o, const char *v, double *out, hb_err *err)
{
    char *end, range[64];
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(d))
        return hb_fail(err, HB_EUSAGE, "--%s: '%s' is not a number", o->name, v);
    range_of(o, range, sizeof range);
    if (d > o->hi || d < o->lo || (o->lo_open && d == o->lo))
        return hb_fail(err, HB_EUSAGE, "--%s: '%s' is outside the range (%s)", o->name, v, range);
    *out = d;
    return HB_OK;
}

/* What an empty value is called in the message: a file name, or a value. */
static const char *empty_name(const hb_opt *o)
{
    return o->arg && (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "DIR")) ? "empty file name" : "empty value";
}

int hb_opt_value(const hb_opt *o, const char *v, double *num, hb_err *err)
{
    char opt[64];
    snprintf(opt, sizeof opt, "--%s", o->name);
    *num = 0;
    switch (o->kind) {
    case HB_OPT_FLAG: return HB_OK;
    case HB_OPT_INT: {
        int i = 0;
        if (hb_parse_int(opt, v, (int)o->lo, (int)o->hi, &i, err))
            return HB_EUSAGE;
        *num = i;
        return HB_OK;
    }
    case HB_OPT_NUM: return number(o, v, num, err);
    case HB_OPT_CHOICE: {
        int k = 0;
        if (hb_parse_choice(opt, v, o->choices, &k, err))
            return HB_EUSAGE;
        *num = k;
        return HB_OK;
    }
    case HB_OPT_TEXT: /* a check says what an empty value means to it ("empty list") */
        if (o->check)
            return o->check(v, err);
        return *v ? HB_OK : hb_fail(err, HB_EUSAGE, "%s: %s", opt, empty_name(o));
    }
    return hb_fail(err, HB_EUSAGE, "internal: option kind %d", (int)o->kind);
}

/* One operand (a file name) into operands, or why it cannot be one. */
static int add_operand(const char *a, const char **operands, int max, int *n, hb_err *err)
{
    if (!operands || !n)
        return hb_fail(err, HB_EUSAGE, "unexpected argument '%s'", a);
    if (*n == max)
        return hb_fail(err, HB_EUSAGE, "too many arguments: '%s' is one more than %d", a, max);
    operands[(*n)++] = a;
    return HB_OK;
}

int hb_opts_parse(const hb_opt *opts, size_t n, int argc, char **argv, hb_opt_handler handler, void *ctx,
                  const char **operands, int max_operands, int *n_operands, int *help, hb_err *err)
{
    struct option longopts[MAX_OPTS + 2];
    if (n > MAX_OPTS)
        return hb_fail(err, HB_EFAIL, "internal: more than %d options", MAX_OPTS);
    for (size_t i = 0; i < n; i++)
        longopts[i] = (struct option){opts[i].name, opts[i].arg ? required_argument : no_argument, NULL,
                                      FIRST_ID + (int)i};
    longopts[n] = (struct option){"help", no_argument, NULL, HELP_ID};
    longopts[n + 1] = (struct option){NULL, 0, NULL, 0};
    *help = 0;
    if (n_operands)
        *n_operands = 0;
    opterr = 0;
    optind = 0; /* 0: glibc starts afresh (a second parse in one process, the MPI build's) */
    int c;
    /* ':' first: a missing value is ':', not '?'; '-' keeps operands in
     * place among the options (returned as 1), so their order is kept */
    while ((c = getopt_long(argc, argv, "-:h", longopts, NULL)) != -1) {
        if (c == HELP_ID) {
            *help = 1;
            return HB_OK;
        }
        if (c == ':')
            return hb_fail(err, HB_EUSAGE, "%s: missing value", argv[optind - 1]);
        if (c == '?')
            return hb_fail(err, HB_EUSAGE, "unknown option '%s'", argv[optind - 1]);
        if (c == 1) {
            if (add_operand(optarg, operands, max_operands, n_operands, err))
                return HB_EUSAGE;
            continue;
        }
        const hb_opt *o = &opts[c - FIRST_ID];
        double num = 0;
        int rc = hb_opt_value(o, o->arg ? optarg : NULL, &num, err);
        if (!rc)
            rc = handler(ctx, o, o->arg ? optarg : NULL, num, err);
        if (rc)
            return rc;
    }
    /* after "--" everything left is an operand */
    for (; optind < argc; optind++)
        if (add_operand(argv[optind], operands, max_operands, n_operands, err))
            return HB_EUSAGE;
    return HB_OK;
}

/* "(1 to 100000; default 20)", "(above 0 to 1; default 0.9)", "(default 600)"; "" when none. */
static void range_text(const hb_opt *o, char *buf, size_t len)
{
    int ranged = o->kind == HB_OPT_INT || o->kind == HB_OPT_NUM;
    char range[64];
    range_of(o, range, sizeof range);
    buf[0] = '\0';
    if (ranged && o->def)
        snprintf(buf, len, "(%s; default: %s)", range, o->def);
    else if (ranged)
        snprintf(buf, len, "(%s)", range);
    else if (o->def)
        snprintf(buf, len, "(default: %s)", o->def);
}

static size_t putf(char *buf, size_t len, size_t used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t putf(char *buf, size_t len, size_t used, const char *fmt, ...)
{
    if (used < len) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(buf + used, len - used, fmt, ap);
        va_end(ap);
        used += k > 0 ? (size_t)k : 0;
    }
    return used < len ? used : len;
}

/* The help text with its "%s" replaced by what fill writes. */
static void help_text(const hb_opt *o, char *out, size_t len)
{
    const char *at = o->fill ? strstr(o->help, "%s") : NULL;
    char fill[512] = "";
    if (!at) {
        snprintf(out, len, "%s", o->help);
        return;
    }
    o->fill(fill, sizeof fill);
    snprintf(out, len, "%.*s%s%s", (int)(at - o->help), o->help, fill, at + 2);
}

static size_t one(const hb_opt *o, char *buf, size_t len, size_t used)
{
    char head[64], text[1024], tail[96];
    snprintf(head, sizeof head, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    help_text(o, text, sizeof text);
    range_text(o, tail, sizeof tail);
    /* a head wider than its column gets a line of its own */
    if (strlen(head) > HEAD_WIDTH)
        used = putf(buf, len, used, "  %s\n%20s", head, "");
    else
        used = putf(buf, len, used, "  %-17s ", head);
    size_t col = 20;
    for (const char *h = text; *h; h++) {
        if (*h == '\n') {
            used = putf(buf, len, used, "\n%20s", "");
            col = 20;
            continue;
        }
        if (used < len)
            buf[used++] = *h;
        col++;
    }
    if (tail[0])
        used = col + 1 + strlen(tail) > LINE_WIDTH ? putf(buf, len, used, "\n%20s%s", "", tail)
                                                  : putf(buf, len, used, " %s", tail);
    return putf(buf, len, used, "\n");
}

size_t hb_opts_help(const hb_opt *opts, size_t n, int with_help, char *buf, size_t len)
{
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used = one(&opts[i], buf, len, used);
    return with_help ? putf(buf, len, used, "  -h, --help        this text\n") : used;
}

void hb_opts_usage(FILE *f, const char *head, const hb_opt *opts, size_t n, const char *tail)
{
    char text[4096];
    hb_opts_help(opts, n, 1, text, sizeof text);
    fprintf(f, "%s%s%s", head, text, tail);
}
