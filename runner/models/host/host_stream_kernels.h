/* host_stream_kernels: the private pieces of the native host baseline
 * (host_stream.c): the bench table, the kernels compiled for several
 * instruction sets and chosen at run time, and the per-block start values and
 * checks. Not part of the runner's interface; tests use it to exercise every
 * instruction-set variant the CPU has, not just the one picked. */
#ifndef HB_HOST_STREAM_KERNELS_H
#define HB_HOST_STREAM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

typedef enum hb_hs_bench {
    HB_HS_COPY, HB_HS_SCALE, HB_HS_ADD, HB_HS_TRIAD, HB_HS_DOT, HB_HS_READ, HB_HS_WRITE,
    HB_HS_NBENCH
} hb_hs_bench;

typedef enum hb_hs_dtype { HB_HS_F32, HB_HS_F64, HB_HS_NDTYPE } hb_hs_dtype;

/* Counted traffic and work per element, STREAM/BabelStream convention:
 * arrays read plus arrays written, write-allocate not counted
 * (STREAM stream.c header, "bytes" table; BabelStream src/main.cpp). */
typedef struct hb_hs_bench_info {
    const char *name;
    int arrays;      /* arrays moved per element */
    int flops;       /* floating-point operations per element */
    int reduces;     /* 1: returns a sum (dot, read) */
} hb_hs_bench_info;

extern const hb_hs_bench_info hb_hs_benches[HB_HS_NBENCH];
extern const char *const hb_hs_dtype_names[HB_HS_NDTYPE];
extern const size_t hb_hs_dtype_size[HB_HS_NDTYPE];

/* Independent vector accumulators of the reductions: 8 covers an FP add
 * latency of 4 cycles at 2 adds per cycle (Zen 3/4, Golden Cove; Agner Fog,
 * "Instruction tables", vaddpd). */
#define HB_HS_NACC 8

/* Runs one bench over n elements of the blocks a, b, c (64-byte aligned, n a
 * multiple of 64): copy c=a, scale b=s*c, add c=a+b, triad a=b+s*c,
 * dot sum(a*b), read sum(a), write a=s. Returns the sum for dot and read
 * (its accumulators combined in double), 0 otherwise. Non-temporal variants
 * end with a store fence so the data are in memory when the call returns. */
typedef double (*hb_hs_kernel_fn)(int bench, void *a, void *b, void *c, size_t n);

/* What a variant needs from the CPU. */
enum { HB_HS_NEEDS_NOTHING, HB_HS_NEEDS_AVX, HB_HS_NEEDS_AVX512F };

typedef struct hb_hs_isa {
    const char *name;             /* "avx512f", "avx", "generic" */
    int needs;                    /* HB_HS_NEEDS_* */
    int nontemporal;              /* 1: streaming stores */
    hb_hs_kernel_fn run[HB_HS_NDTYPE];
    unsigned lanes[HB_HS_NDTYPE]; /* elements per vector register */
} hb_hs_isa;

/* The variants compiled in, best first; hb_hs_isa_ok says whether this CPU
 * (and OS) can run one. */
int hb_hs_isa_count(void);
const hb_hs_isa *hb_hs_isa_get(int i);
int hb_hs_isa_ok(const hb_hs_isa *isa);
/* The best variant this CPU runs with the store kind asked for; plain stores
 * when non-temporal ones are asked for but not available. Never NULL. */
const hb_hs_isa *hb_hs_isa_pick(int nontemporal);

/* Longest sequential rounding chain of a reduction over n elements: the
 * per-accumulator chain, the tail added to accumulator 0 and the sequential
 * combination of all accumulator lanes (see hb_hs_sum_tolerance). */
uint64_t hb_hs_chain(const hb_hs_isa *isa, int dtype, uint64_t n);

/* Element i of a block starting at global index lo. */
void hb_hs_init(int dtype, void *a, void *b, void *c, uint64_t lo, uint64_t n);

/* Result of checking one block. */
typedef struct hb_hs_check {
    uint64_t bad;             /* global index of the first wrong element, UINT64_MAX if none */
    double got, expected;     /* at `bad` */
    long double sum_expected; /* dot/read: exact-as-can-be host sum of the block */
} hb_hs_check;

/* Checks the block after `bench` ran on freshly initialised inputs: the
 * written array element by element (exact), or, for dot and read, computes
 * the expected sum in long double from stream_values.h. */
void hb_hs_verify(int bench, int dtype, const void *a, const void *b, const void *c,
                  uint64_t lo, uint64_t n, hb_hs_check *out);

/* Relative tolerance of a reduction whose longest rounding chain is `chain`
 * additions in the precision of dtype. */
double hb_hs_sum_tolerance(int dtype, uint64_t chain);

#endif
