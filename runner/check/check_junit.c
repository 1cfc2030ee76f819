/* SPDX-License-Identifier: Apache-2.0 */
/* check_junit: the verdicts as JUnit XML (acceptance.h), for CI servers:
 * one <testsuite> per rule, one <testcase> per rule and device, with
 * <failure> or <skipped>, and tests/failures/errors/skipped counts on
 * <testsuites> and each <testsuite>: the elements and attributes Jenkins'
 * JUnit plugin and GitLab's unit test reports read
 * (docs.gitlab.com/ee/ci/testing/unit_test_reports.html; the schema
 * github.com/windyroad/JUnit-Schema/blob/master/JUnit.xsd). XML 1.0 allows
 * no control character but tab, newline and carriage return, so the others
 * become spaces; invalid UTF-8 becomes '?' (www.w3.org/TR/xml/#charsets). */
#include "acceptance.h"
#include "check_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

static void xml_text(FILE *f, const char *text)
{
    for (const unsigned char *s = (const unsigned char *)text; *s;) {
        size_t n = *s >= 0x80 ? utf8_len(s) : 1;
        if (*s == '&') fputs("&amp;", f);
        else if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '"') fputs("&quot;", f);
        else if (*s == '\'') fputs("&apos;", f);
        else if (*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') fputc(' ', f);
        else if (n == 0) fputc('?', f);
        else fwrite(s, 1, n, f);
        s += n ? n : 1;
    }
}

static void suite(FILE *f, const hb_check_report *rep, size_t from, size_t to)
{
    const hb_check_rule *rule = rep->v[from].rule;
    size_t fail = 0, skip = 0;
    char name[320], test[96];
    for (size_t i = from; i < to; i++) {
        fail += rep->v[i].verdict == HB_CHECK_FAIL;
        skip += rep->v[i].verdict == HB_CHECK_SKIP;
    }
    fputs("  <testsuite name=\"", f);
    xml_text(f, rule->id);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n", to - from, fail,
            skip);
    hb_check_threshold_text(rule, test, sizeof test);
    for (size_t i = from; i < to; i++) {
        const hb_check_verdict *v = &rep->v[i];
        if (v->device >= 0) {
            const hb_check_device *d = &rep->devices[v->device];
            hb_check_device_label(rep, d, name, sizeof name);
            size_t used = strlen(name);
            snprintf(name + used, sizeof name - used, ": %s", d->name);
        } else {
            snprintf(name, sizeof name, "no device");
        }
        fputs("    <testcase classname=\"hbmbench.check.", f);
        xml_text(f, rule->id);
        fputs("\" name=\"", f);
        xml_text(f, name);
        fputs("\" time=\"0\">", f);
        if (v->verdict != HB_CHECK_PASS) {
            fputs(v->verdict == HB_CHECK_FAIL ? "\n      <failure type=\"" : "\n      <skipped type=\"", f);
            fputs(v->missing ? "missing" : v->verdict == HB_CHECK_FAIL ? "threshold" : "not-applicable", f);
            fputs("\" message=\"", f);
            xml_text(f, v->detail);
            fputs("\">", f);
            xml_text(f, rule->description);
            fputs("\nrule: ", f);
            xml_text(f, test);
            fputs("\nsource: ", f);
            xml_text(f, rule->source[0] ? rule->source : "(none given)");
            fputs(v->verdict == HB_CHECK_FAIL ? "</failure>\n    " : "</skipped>\n    ", f);
        }
        fputs("</testcase>\n", f);
    }
    fputs("  </testsuite>\n", f);
}

char *hb_check_junit_dumps(const hb_check_report *rep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hbmbench check ", f);
    xml_text(f, rep->result_path);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n", rep->n, rep->n_fail,
            rep->n_skip);
    for (size_t i = 0, end; i < rep->n; i = end) {
        for (end = i + 1; end < rep->n && rep->v[end].rule == rep->v[i].rule; end++)
            ;
        suite(f, rep, i, end);
    }
    fputs("</testsuites>\n", f);
    if (ferror(f)) {
        fclose(f);
        free(text);
        return NULL;
    }
    fclose(f);
    return text;
}
