/* SPDX-License-Identifier: Apache-2.0 */
/* openmetrics: a result file as OpenMetrics text, for node_exporter's
 * textfile collector and any Prometheus scrape (`hbmbench export`,
 * docs/export.md lists every metric and label).
 *
 * Written to be read by both parsers a textfile may meet: the OpenMetrics
 * 1.0 text format (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md)
 * and the Prometheus text format node_exporter's textfile collector reads:
 * every family is a gauge (that collector refuses the info and stateset
 * types), no sample has a timestamp (it refuses those too), and # UNIT and
 * # EOF are comments to it. */
#ifndef HB_OPENMETRICS_H
#define HB_OPENMETRICS_H

#include <stddef.h>

#include "hb_error.h"
#include "run.h"

/* One acceptance verdict (a rule on a device), as the caller's check gave it. */
typedef struct hb_om_verdict {
    const hb_device *dev;      /* the device in run->devices; NULL: the rule selected none */
    int device_index;          /* its index in the file */
    const char *rule;          /* the rule's id */
    const char *outcome;       /* "pass", "fail", "skip" */
} hb_om_verdict;

typedef struct hb_om_verdicts {
    const hb_om_verdict *v;
    size_t n;
    int checked;               /* a check ran: the verdict families are written */
    int ok;                    /* nothing failed */
    const char *rules;         /* the rules' origin: a path, or "built-in" */
} hb_om_verdicts;

/* The OpenMetrics text of run (and of verdicts, may be NULL), ending
 * "# EOF\n", into *text (the caller frees). HB_EFAIL when out of memory. */
int hb_openmetrics_dumps(const hb_run *run, const hb_om_verdicts *verdicts, char **text, hb_err *err);

#endif
