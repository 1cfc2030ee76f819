/* stream_kinds: what each stream kernel reads, writes and computes, so the
 * OpenCL bench (stream.c) and its verification (stream_verify.c) agree. */
#ifndef HB_STREAM_KINDS_H
#define HB_STREAM_KINDS_H

#include <stdint.h>

typedef enum { HB_COPY, HB_SCALE, HB_ADD, HB_TRIAD, HB_DOT, HB_READ, HB_WRITE } hb_stream_kind;

/* Arrays by index: 0 = a, 1 = b, 2 = c. */
typedef struct hb_stream_kind_info {
    hb_stream_kind kind;
    const char *name;
    unsigned reads;      /* bit mask of arrays read */
    int writes;          /* array written, -1 for reductions */
    int reduction;
} hb_stream_kind_info;

/* NULL for an unknown name. */
const hb_stream_kind_info *hb_stream_kind_find(const char *name);

/* The value kernel `kind` writes at element i (array kernels only). */
float hb_stream_expected_f32(hb_stream_kind kind, uint64_t i);
double hb_stream_expected_f64(hb_stream_kind kind, uint64_t i);

/* The exact sum a reduction computes, in long double, over n elements. */
long double hb_stream_expected_sum(hb_stream_kind kind, int f64, uint64_t n);

#endif
