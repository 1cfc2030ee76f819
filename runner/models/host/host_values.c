/* SPDX-License-Identifier: Apache-2.0 */
/* host_values: the host model's verification (hb_model.check_values and
 * sum_values, runner/core/values.h): each pinned thread checks or sums the
 * block it initialised and streams (hb_team_block), so the pass runs on
 * every core, each on memory of its own node. */
#include <stdlib.h>

#include "host_env.h"
#include "stream_values.h"

typedef struct values_task {
    const unsigned char *p;    /* check: the array */
    uint64_t n;
    size_t elem;
    int f64;
    const hb_values_expr *expr;
    unsigned seed_a, seed_b;   /* sum */
    hb_values_check *checks;   /* one per thread */
    hb_values_sum *sums;       /* one per thread */
} values_task;

static void check_block(void *arg, int t, int n)
{
    values_task *v = arg;
    uint64_t lo, len, wrong = 0, first = UINT64_MAX;
    hb_team_block(v->n, v->elem, n, t, &lo, &len);
    HB_FOR_RUNS(r, r_end, lo, lo + len) {
        uint32_t k0 = hb_key(r, v->expr->seed[0]), k1 = hb_key(r, v->expr->seed[1]);
        /* branch-free, so the loops vectorise */
        if (v->f64)
            for (uint64_t i = r; i < r_end; i++) {
                int bad = !(((const double *)v->p)[i] == hb_values_expr_f64_at(v->expr, i, k0, k1));
                wrong += bad;
                first = bad && i < first ? i : first;
            }
        else
            for (uint64_t i = r; i < r_end; i++) {
                int bad = !(((const float *)v->p)[i] == hb_values_expr_f32_at(v->expr, i, k0, k1));
                wrong += bad;
                first = bad && i < first ? i : first;
            }
    }
    v->checks[t] = (hb_values_check){wrong, first};
}

static void sum_block(void *arg, int t, int n)
{
    values_task *v = arg;
    uint64_t lo, len;
    hb_team_block(v->n, v->elem, n, t, &lo, &len);
    v->sums[t] = (hb_values_sum){0};
    hb_values_sum_range(v->f64, lo, len, v->seed_a, v->seed_b, &v->sums[t]);
}

int hb_host_check_values(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                         const hb_values_expr *e, hb_values_check *out, hb_err *err)
{
    int threads = hb_team_size(env->team);
    values_task v = {.p = hb_host_ptr(src), .n = n, .elem = hb_dtype_bytes(dtype), .f64 = dtype == HB_F64,
                     .expr = e, .checks = calloc((size_t)threads, sizeof *v.checks)};
    if (!v.checks)
        return hb_fail(err, HB_EFAIL, "out of memory for the check's outcomes");
    int rc = hb_team_run(env->team, threads, check_block, &v, NULL, err);
    for (int t = 0; !rc && t < threads; t++)
        hb_values_check_add(out, v.checks[t].wrong, v.checks[t].first);
    free(v.checks);
    return rc;
}

int hb_host_sum_values(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                       hb_values_sum *out, hb_err *err)
{
    int threads = hb_team_size(env->team);
    values_task v = {.n = n, .elem = hb_dtype_bytes(dtype), .f64 = dtype == HB_F64, .seed_a = seed_a,
                     .seed_b = seed_b, .sums = calloc((size_t)threads, sizeof *v.sums)};
    if (!v.sums)
        return hb_fail(err, HB_EFAIL, "out of memory for the sum's outcomes");
    int rc = hb_team_run(env->team, threads, sum_block, &v, NULL, err);
    *out = (hb_values_sum){.n = n};
    for (int t = 0; !rc && t < threads; t++) {
        hb_values_words_add(out->s1, 2, v.sums[t].s1[0], v.sums[t].s1[1]);
        hb_values_words_add(out->s2, 3, v.sums[t].s2[0], v.sums[t].s2[1]);
        out->s2[2] += v.sums[t].s2[2];
    }
    free(v.sums);
    return rc;
}
