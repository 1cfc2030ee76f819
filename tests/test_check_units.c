/* SPDX-License-Identifier: Apache-2.0 */
/* The acceptance-check layer without the command line (runner/check/):
 * the built-in rules parse and every datasheet family they name exists in
 * runner/peaks/known_devices.json, so renaming a table row cannot silently
 * orphan a threshold; rules-file errors carry FILE:LINE:COLUMN or the path of
 * the offending field. */
#include <fnmatch.h>
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

int main(void)
{
    test_builtin_families();
    test_errors();
    return hb_check_failures() != 0;
}
