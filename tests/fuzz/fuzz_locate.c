/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_locate: compare's error locator (runner/compare/compare_locate.c)
 * on any text and any document path: the first line of the input is the
 * path ("results[3].stats.min_s"), the rest the text. It must end (once it
 * looped forever on a NUL byte) and any position it gives lies in the
 * text. */
#include "compare.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - data) : size;
    char *doc_path = hb_fuzz_cstr(data, plen);
    const char *text = nl ? (const char *)nl + 1 : "";
    size_t len = nl ? size - plen - 1 : 0;
    /* A copy of exactly len bytes, so ASan sees any read past the end. */
    char *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    memcpy(copy, text, len);
    int line = 0, col = 0;
    if (hb_json_locate(copy, len, doc_path, &line, &col) == 0) {
        size_t lines = 1;
        for (size_t i = 0; i < len; i++)
            lines += copy[i] == '\n';
        HB_FUZZ_ASSERT(line >= 1 && (size_t)line <= lines && col >= 1 && (size_t)col <= len,
                       "%d:%d in %zu bytes, %zu lines", line, col, len, lines);
    }
    free(copy);
    free(doc_path);
    return 0;
}
