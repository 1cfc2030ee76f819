#include "stream_kinds.h"

#include <string.h>

#include "stream_values.h"

enum { A = 1u << 0, B = 1u << 1, C = 1u << 2 };

/* Kernels and arrays as STREAM and BabelStream define them. */
static const hb_stream_kind_info kinds[] = {
    {HB_COPY, "copy", A, 2, 0},       /* c = a */
    {HB_SCALE, "scale", C, 1, 0},     /* b = s*c */
    {HB_ADD, "add", A | B, 2, 0},     /* c = a + b */
    {HB_TRIAD, "triad", B | C, 0, 0}, /* a = b + s*c */
    {HB_DOT, "dot", A | B, -1, 1},    /* sum a*b */
    {HB_READ, "read", A, -1, 1},      /* sum a */
    {HB_WRITE, "write", 0, 0, 0},     /* a = s */
};

const hb_stream_kind_info *hb_stream_kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

float hb_stream_expected_f32(hb_stream_kind kind, uint64_t i)
{
    const float s = (float)HB_STREAM_SCALAR;
    switch (kind) {
    case HB_COPY: return hb_value_f32(i, HB_SEED_A);
    case HB_SCALE: return s * hb_value_f32(i, HB_SEED_C);
    case HB_ADD: return hb_value_f32(i, HB_SEED_A) + hb_value_f32(i, HB_SEED_B);
    case HB_TRIAD: return hb_value_f32(i, HB_SEED_B) + s * hb_value_f32(i, HB_SEED_C);
    case HB_WRITE: return s;
    default: return 0;
    }
}

double hb_stream_expected_f64(hb_stream_kind kind, uint64_t i)
{
    const double s = HB_STREAM_SCALAR;
    switch (kind) {
    case HB_COPY: return hb_value_f64(i, HB_SEED_A);
    case HB_SCALE: return s * hb_value_f64(i, HB_SEED_C);
    case HB_ADD: return hb_value_f64(i, HB_SEED_A) + hb_value_f64(i, HB_SEED_B);
    case HB_TRIAD: return hb_value_f64(i, HB_SEED_B) + s * hb_value_f64(i, HB_SEED_C);
    case HB_WRITE: return s;
    default: return 0;
    }
}

long double hb_stream_expected_sum(hb_stream_kind kind, int f64, uint64_t n)
{
    long double sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        long double x = f64 ? hb_value_f64(i, HB_SEED_A) : hb_value_f32(i, HB_SEED_A);
        if (kind == HB_DOT)
            x *= f64 ? hb_value_f64(i, HB_SEED_B) : hb_value_f32(i, HB_SEED_B);
        sum += x;
    }
    return sum;
}
