/* SPDX-License-Identifier: Apache-2.0 */
/* gemm_half: IEEE 754 binary16 on the host, for fp16 storage (the device
 * converts with vload_half/vstore_half, OpenCL C 6.15.8, which round to
 * nearest even as these do). Only the conversions, no arithmetic. */
#ifndef HB_GEMM_HALF_H
#define HB_GEMM_HALF_H

#include <math.h>
#include <stdint.h>

/* The value of a binary16 bit pattern (subnormals, infinities, NaN included). */
static inline double hb_half_value(uint16_t h)
{
    int sign = h >> 15, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(1024 + m, e - 25);
    return sign ? -v : v;
}

/* x rounded to the nearest binary16, ties to even; beyond the range:
 * infinity; NaN stays NaN. */
static inline uint16_t hb_half_of(double x)
{
    uint16_t sign = signbit(x) ? 0x8000 : 0;
    double a = fabs(x);
    if (isnan(x))
        return 0x7e00;
    if (a >= 65520.0) /* rounds up past the largest half, 65504 */
        return sign | 0x7c00;
    int e;
    frexp(a, &e);                        /* a = f * 2^e, f in [0.5, 1) */
    int q = e - 11 < -24 ? -24 : e - 11; /* exponent of the last kept bit */
    double m = nearbyint(ldexp(a, -q));  /* current rounding mode: to nearest even */
    if (m == 0)
        return sign;
    /* m * 2^q: renormalise if rounding carried into a new binade. */
    if (m >= 2048) {
        m /= 2;
        q++;
    }
    if (m < 1024) /* subnormal */
        return sign | (uint16_t)m;
    return sign | (uint16_t)((q + 25) << 10) | (uint16_t)((int)m - 1024);
}

#endif
