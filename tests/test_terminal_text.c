/* SPDX-License-Identifier: Apache-2.0 */
/* Driver strings reach the terminal without their control characters:
 * hb_text_clean itself, the run table (device names, notes, peak details)
 * and the device listing of `hbmbench list`, fed a device whose name,
 * vendor and driver version carry ESC sequences, a bell, a C1 CSI, a
 * bidirectional override and bytes that are not UTF-8. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "output.h"
#include "text.h"

#define EVIL "GPU\x1b[2J\x1b]0;owned\x07-\xc2\x9b" "31m-\xe2\x80\xae-\xff-\r-\x7f"

static void test_clean(void)
{
    char b[64];
    CHECK(!strcmp(hb_text_clean("a\x1b[31mb", HB_TEXT_LINE, b, sizeof b), "a?b"), "an escape sequence becomes one ? (%s)", b);
    CHECK(!strcmp(hb_text_clean("x\ty\nz\rw", HB_TEXT_LINE, b, sizeof b), "x y z w"),
          "line: tab/newline/CR are spaces");
    CHECK(!strcmp(hb_text_clean("x\ty\nz", HB_TEXT_LINES, b, sizeof b), "x\ty\nz"), "lines: tab and newline kept");
    CHECK(!strcmp(hb_text_clean("\xff\xc0\xaf", HB_TEXT_LINE, b, sizeof b), "???"), "bytes that are not UTF-8 (%s)", b);
    CHECK(!strcmp(hb_text_clean("\xed\xa0\x80", HB_TEXT_LINE, b, sizeof b), "???"), "a UTF-8 surrogate is not text");
    CHECK(!strcmp(hb_text_clean("caf\xc3\xa9 \xe2\x82\xac", HB_TEXT_LINE, b, sizeof b), "caf\xc3\xa9 \xe2\x82\xac"),
          "UTF-8 letters and symbols are kept");
    CHECK(!strcmp(hb_text_clean("a\xc2\x9b" "b", HB_TEXT_LINE, b, sizeof b), "a?b"), "C1 CSI (U+009B) becomes ?");
    CHECK(!strcmp(hb_text_clean("a\xe2\x80\xae" "b", HB_TEXT_LINE, b, sizeof b), "a?b"), "bidi override becomes ?");
    CHECK(!strcmp(hb_text_clean("\xc3\xa9\xc3\xa9", HB_TEXT_LINE, b, 4), "\xc3\xa9"), "cut at a character boundary");
    CHECK(!strcmp(hb_text_clean(NULL, HB_TEXT_LINE, b, sizeof b), ""), "NULL is empty");
}

/* No byte of text is a control character but newline (and no C1 in UTF-8). */
static int terminal_safe(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f || c == 0xff)
            return 0;
        if (c == 0xc2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 && (unsigned char)text[i + 1] <= 0x9f)
            return 0;
        if (c == 0xe2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80 && (unsigned char)text[i + 2] == 0xae)
            return 0;
    }
    return 1;
}

static const hb_model fake_model = {.name = "opencl"};

static void evil_device(hb_device *d)
{
    memset(d, 0, sizeof *d);
    d->kind = HB_KIND_GPU;
    d->model = &fake_model;
    snprintf(d->type, sizeof d->type, "GPU");
    snprintf(d->name, sizeof d->name, "%s", EVIL);
    snprintf(d->vendor, sizeof d->vendor, "%s", EVIL);
    snprintf(d->platform_name, sizeof d->platform_name, "%s", EVIL);
    snprintf(d->driver_version, sizeof d->driver_version, "%s", EVIL);
    snprintf(d->cl_version, sizeof d->cl_version, "OpenCL 3.0\n");
    snprintf(d->locality_source, sizeof d->locality_source, "%s", "x\x1b[1A");
    d->peaks.bw_gbs.value = NAN;
    snprintf(d->peaks.bw_gbs.detail, sizeof d->peaks.bw_gbs.detail, "%s", EVIL);
    d->peaks.fp32_gflops.value = d->peaks.fp64_gflops.value = NAN;
}

static void test_table_and_list(void)
{
    hb_device d;
    evil_device(&d);
    hb_run run;
    memset(&run, 0, sizeof run);
    run.devices = &d;
    run.n_devices = 1;
    hb_result *r = hb_result_list_push(&run.results);
    snprintf(r->device, sizeof r->device, "%s", EVIL);
    snprintf(r->bench, sizeof r->bench, "copy");
    snprintf(r->dtype, sizeof r->dtype, "f32");
    snprintf(r->percent_basis, sizeof r->percent_basis, "bandwidth");
    hb_result_note(r, "device failure: clBuildProgram on %s; build log:\nline 1\x1b[0m", EVIL);
    r->elements = 1024;

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hb_print_table(f, &run);
    fclose(f);
    CHECK(terminal_safe(text, len), "run table: no control characters from the driver's strings");
    CHECK(strstr(text, "GPU?" "?-?31m") != NULL, "run table: the name is still shown, each escape sequence as one ?");
    CHECK(strstr(text, "build log: line 1?") != NULL, "run table: a note stays on its line");
    free(text);

    f = open_memstream(&text, &len);
    hb_print_device(f, &d);
    fclose(f);
    CHECK(terminal_safe(text, len), "list: no control characters from the driver's strings");
    CHECK(strstr(text, "vendor GPU?" "?-?31m-?-?- -?") != NULL, "list: vendor shown with ? for each control");
    free(text);
    hb_result_list_free(&run.results);
}

int main(void)
{
    test_clean();
    test_table_and_list();
    return hb_check_failures() != 0;
}
