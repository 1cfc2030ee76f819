/* SPDX-License-Identifier: Apache-2.0 */
/* latency.cl: the pointer chase of the latency bench (benches/latency.h).
 *
 * One work-item follows i = next[i] `loads` times from `start` and writes
 * where it ended to out[0]. Each load's address is the value of the load
 * before, so the loads run one after another and the time per load is the
 * latency of wherever next[] lies. The end index is written, and checked
 * by the host, so the compiler cannot drop the loop. */
__kernel void latency(__global const uint *restrict next, __global uint *restrict out, uint start, ulong loads)
{
    uint i = start;
    for (ulong k = 0; k < loads; k++)
        i = next[i];
    out[0] = i;
}
