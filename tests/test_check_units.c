/* SPDX-License-Identifier: Apache-2.0 */
/* The acceptance-check layer without the command line (runner/check/):
 * the built-in rules parse and every datasheet family they name exists in
 * runner/peaks/known_devices.json, so renaming a table row cannot silently
 * orphan a threshold; rules-file errors carry FILE:LINE:COLUMN or the path of
 * the offending field; the defaults that make a rule strict; devices keyed by
 * node and rank, one UUID never its own sibling; JUnit text escaped. */
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "acceptance.h"
#include "check.h"
#include "peak_table.h"

static void test_builtin_families(void)
{
    hb_check_rules rules;
    hb_peak_table table;
    hb_err err = {0};
    CHECK(hb_check_rules_load(NULL, &rules, &err) == HB_OK && rules.builtin, "built-in rules parse (%s)", err.msg);
    CHECK(hb_peak_table_load_embedded(&table, &err) == HB_OK, "datasheet table parses (%s)", err.msg);
    int families = 0;
    for (size_t i = 0; i < rules.n; i++) {
        const hb_check_rule *r = &rules.v[i];
        CHECK(r->source[0] != '\0', "rule %s cites its source", r->id);
        const hb_check_patterns *p = &r->sel[HB_SEL_DEVICE_FAMILY];
        for (int k = 0; k < p->n; k++) {
            int hits = 0;
            for (size_t j = 0; j < table.n; j++)
                hits += fnmatch(p->v[k], table.rows[j].name, FNM_CASEFOLD) == 0;
            CHECK(hits > 0, "rule %s: device_family \"%s\" matches %d row(s) of known_devices.json", r->id,
                  p->v[k], hits);
            families++;
        }
    }
    CHECK(families >= 5, "the built-in rules cover %d datasheet families", families);
    hb_peak_table_free(&table);
    hb_check_rules_free(&rules);
}

static void expect_error(const char *text, const char *want)
{
    hb_check_rules rules;
    hb_err err = {0};
    int rc = hb_check_rules_parse(text, strlen(text), "r.json", &rules, &err);
    CHECK(rc == HB_EUSAGE && strstr(err.msg, want) != NULL, "rejected with \"%s\": %s", want, err.msg);
}

static void test_errors(void)
{
    expect_error("[\n  {\"id\": \"a\",\n   \"metric\": }\n]", "r.json:3:14: ");
    expect_error("[]", "r.json: expected a non-empty list of rules");
    expect_error("[{\"id\": \"a b\", \"description\": \"d\", \"metric\": \"cv\", \"comparison\": \"<=\", "
                 "\"threshold\": 1}]", "use letters, digits");
    expect_error("[{\"id\": \"a\", \"description\": \"d\", \"metric\": \"valid\", \"comparison\": \">=\"}]",
                 "valid takes only \"==\"");
    expect_error("[{\"id\": \"a\", \"description\": \"d\", \"metric\": \"cv\", \"comparison\": \"<=\", "
                 "\"threshold\": 1, \"select\": {\"sizes\": \"smallest\"}}]", "select.sizes: expected");
    expect_error("[{\"id\": \"a\", \"description\": \"d\", \"metric\": \"cv\", \"comparison\": \"<=\", "
                 "\"threshold\": 1}, {\"id\": \"a\", \"description\": \"d\", \"metric\": \"cv\", "
                 "\"comparison\": \"<=\", \"threshold\": 1}]", "id \"a\" is used twice");

    const char *ok = "{\"rules\": [{\"id\": \"a\", \"description\": \"d\", \"metric\": \"valid\"},"
                     " {\"id\": \"b\", \"description\": \"d\", \"select\": {\"bench\": \"tr*\"},"
                     " \"metric\": \"percent_of_peak\", \"of\": \"median\", \"comparison\": \">\", \"threshold\": 5}]}";
    hb_check_rules rules;
    hb_err err = {0};
    int rc = hb_check_rules_parse(ok, strlen(ok), "ok.json", &rules, &err);
    CHECK(rc == HB_OK && rules.n == 2, "a valid rules object parses (%s)", err.msg);
    if (rc == HB_OK) {
        CHECK(rules.v[0].op == HB_OP_EQ && rules.v[0].threshold == 1, "valid defaults to == true");
        CHECK(rules.v[1].of == HB_OF_MEDIAN && rules.v[1].sel[HB_SEL_BENCH].n == 1 && !rules.v[1].all_sizes,
              "of, a glob bench and the default sizes are read");
        hb_check_rules_free(&rules);
    }
}

static void test_defaults(void)
{
    const char *text = "{\"on_missing\": \"skip\", \"rules\": ["
                       "{\"id\": \"c\", \"description\": \"d\", \"metric\": \"cv\", \"comparison\": \"<=\", \"threshold\": 0.05},"
                       "{\"id\": \"p\", \"description\": \"d\", \"metric\": \"percent_of_peak\", \"peak\": \"datasheet\","
                       " \"comparison\": \">=\", \"threshold\": 80, \"on_missing\": \"fail\"}]}";
    hb_check_rules rules;
    hb_err err = {0};
    int rc = hb_check_rules_parse(text, strlen(text), "d.json", &rules, &err);
    CHECK(rc == HB_OK, "a rules file with on_missing and peak parses (%s)", err.msg);
    if (rc)
        return;
    CHECK(rules.v[0].min_samples == 10 && rules.v[0].beyond_cache == 0 && rules.v[0].on_missing_skip,
          "cv: 10 samples at least, no cache rule, the file's on_missing");
    CHECK(rules.v[1].min_samples == 0 && rules.v[1].beyond_cache == 4 && !rules.v[1].on_missing_skip &&
          rules.v[1].datasheet, "percent_of_peak: arrays of 4x the cache, its own on_missing, the datasheet peak");
    hb_check_rules_free(&rules);
}

/* Two ranks on two nodes, both device 0, and a third device sharing rank
 * 1's UUID; the name holds characters XML must escape or drop. */
static void test_ranks_and_junit(void)
{
    static const char *const nodes[] = {"n0", "n1", "n1"};
    const char *text = "[{\"id\": \"sib\", \"description\": \"d\", \"metric\": \"ratio_to_median_of_identical\","
                       " \"comparison\": \">=\", \"threshold\": 0.9, \"beyond_cache\": 0}]";
    hb_check_rules rules;
    hb_err err = {0};
    hb_device devs[3] = {0};
    hb_run run = {.devices = devs, .n_devices = 3};
    CHECK(hb_check_rules_parse(text, strlen(text), "u.json", &rules, &err) == HB_OK, "parses (%s)", err.msg);
    for (int i = 0; i < 3; i++) {
        snprintf(devs[i].name, sizeof devs[i].name, "GPU <&\"'\x01\xff>");
        snprintf(devs[i].type, sizeof devs[i].type, "GPU");
        snprintf(devs[i].node, sizeof devs[i].node, "%s", nodes[i]);
        devs[i].rank = i < 2 ? i : 1;
        devs[i].index = i < 2 ? 0 : 1;
        snprintf(devs[i].uuid, sizeof devs[i].uuid, "%s", i ? "GPU-1" : "GPU-0");
        hb_result *r = hb_result_list_push(&run.results);
        snprintf(r->bench, sizeof r->bench, "triad");
        snprintf(r->dtype, sizeof r->dtype, "f32");
        snprintf(r->node, sizeof r->node, "%s", nodes[i]);
        snprintf(r->figure.name, sizeof r->figure.name, "bandwidth");
        snprintf(r->figure.unit, sizeof r->figure.unit, "GB/s");
        snprintf(r->figure.count, sizeof r->figure.count, "bytes");
        r->rank = devs[i].rank;
        r->device_index = devs[i].index;
        r->elements = 1 << 20;
        r->valid = 1;
        r->figure.best = r->figure.median = 100;
    }
    hb_check_report rep;
    CHECK(hb_check_eval(&rules, &run, "u.json", NULL, &rep, &err) == HB_OK, "evaluates (%s)", err.msg);
    CHECK(rep.n_devices == 3 && rep.gathered && rep.n == 3, "three devices (node, rank, index), three verdicts");
    int n2 = 0;
    for (size_t i = 0; i < rep.n; i++)
        n2 += rep.v[i].n_items == 1 && rep.v[i].items[0].n_identical == 2;
    CHECK(n2 == 3, "one UUID on two ranks is one device: 2 identical devices, not 3 (%d)", n2);
    char *xml = hb_check_junit_dumps(&rep);
    CHECK(xml && strstr(xml, "GPU &lt;&amp;&quot;&apos; ?&gt;") && !strchr(xml, '\x01'),
          "JUnit escapes markup, drops a control character and replaces invalid UTF-8");
    CHECK(xml && strstr(xml, "name=\"n1 rank 1 device 1: GPU"), "a test case names node, rank and device");
    free(xml);
    hb_check_report_free(&rep);
    hb_result_list_free(&run.results);
    hb_check_rules_free(&rules);
}

int main(void)
{
    test_builtin_families();
    test_errors();
    test_defaults();
    test_ranks_and_junit();
    return hb_check_failures() != 0;
}
