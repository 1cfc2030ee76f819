/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_partial: each rank's report kept on disk beside the gathered file
 * (cluster_internal.h), so that whatever ends a rank or the job afterwards,
 * what it measured can still be gathered (`hbmbench merge`). */
#include "cluster_internal.h"

#include <stdio.h>
#include <string.h>

#include "json_io.h"

void hb_partial_path(const char *out, int rank, char *buf, size_t len)
{
    size_t n = strlen(out);
    if (n > 5 && !strcmp(out + n - 5, ".json"))
        n -= 5;
    snprintf(buf, len, "%.*s.rank-%d.json", (int)n, out, rank);
}

int hb_partial_write(const char *out, int rank, const char *text, hb_err *err)
{
    char path[2048];
    hb_partial_path(out, rank, path, sizeof path);
    /* force: a partial of this run's rank replaces one an earlier attempt left
     * (rank 0 refused to start over an earlier run's partials without --force) */
    return hb_write_text_atomic(text, path, 1, err) ? HB_EFAIL : HB_OK;
}

json_t *hb_partial_read(const char *path, hb_err *err)
{
    json_error_t je;
    json_t *rep = json_load_file(path, 0, &je);
    const json_t *rank = json_object_get(rep, "rank");
    if (!rep)
        return hb_fail(err, HB_EUSAGE, "%s:%d:%d: %s", path, je.line, je.column, je.text), NULL;
    if (!json_is_object(rep) || !json_is_integer(rank) || json_integer_value(rank) < 0 ||
        json_integer_value(rank) >= 1 << 24 || !json_is_string(json_object_get(rep, "status"))) {
        json_decref(rep);
        return hb_fail(err, HB_EUSAGE, "%s: not a rank's partial file (no \"rank\" and \"status\")", path), NULL;
    }
    return rep;
}

const char *hb_partial_kept(const json_t *report)
{
    const json_t *doc = hb_cluster_doc_of(report);
    if (!doc)
        return "none";
    return json_is_false(json_object_get(doc, "complete")) ? "partial" : "complete";
}
