/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the runner's pure functions: size and list parsing,
 * statistics, byte counting, device selection, array sizing, the
 * exactness of the stream start values, and JSON reals in their shortest
 * round-tripping form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "check.h"
#include "json_number.h"
#include "noisy.h"
#include "params.h"
#include "parse.h"
#include "select.h"
#include "sizing.h"
#include "splitmix.h"
#include "stats.h"
#include "stream.h"
#include "stream_values.h"

static void test_size(void)
{
    hb_size s;
    hb_err e = {0};
    CHECK(!hb_parse_size("--size", "auto", &s, &e) && s.is_auto, "size auto");
    CHECK(!hb_parse_size("--size", "512MiB", &s, &e) && s.is_bytes && s.value == 512ULL << 20, "size 512MiB");
    CHECK(!hb_parse_size("--size", "2GB", &s, &e) && s.is_bytes && s.value == 2000000000ULL, "size 2GB (decimal)");
    CHECK(!hb_parse_size("--size", "1.5GiB", &s, &e) && s.value == 3ULL << 29, "size 1.5GiB");
    CHECK(!hb_parse_size("--size", "33554432", &s, &e) && !s.is_bytes && s.value == 33554432, "size elements");
    CHECK(!hb_parse_size("--size", "4096kb", &s, &e) && s.value == 4096000, "size unit case-insensitive");
    const char *bad[] = {"", "abc", "-5", "5XB", "1.5", "0", "0MiB", "MiB", "1e3", "99999999999TiB"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e.msg[0] = '\0';
        int rc = hb_parse_size("--size", bad[i], &s, &e);
        CHECK(rc == HB_EUSAGE && strstr(e.msg, "--size"), "size '%s' rejected: %s", bad[i], e.msg);
    }
}

static void test_numbers_and_lists(void)
{
    hb_err e = {0};
    int v;
    double d;
    CHECK(!hb_parse_int("--iters", "20", 1, 100, &v, &e) && v == 20, "int 20");
    CHECK(hb_parse_int("--iters", "0", 1, 100, &v, &e) == HB_EUSAGE, "int below range");
    CHECK(hb_parse_int("--iters", "7x", 1, 100, &v, &e) == HB_EUSAGE, "int trailing garbage");
    CHECK(!hb_parse_positive("--peak-bw", "3350", &d, &e) && d == 3350, "positive 3350");
    CHECK(hb_parse_positive("--peak-bw", "-1", &d, &e) == HB_EUSAGE, "positive rejects -1");
    CHECK(hb_parse_positive("--peak-bw", "nan", &d, &e) == HB_EUSAGE, "positive rejects nan");
    /* Fuzzing findings (tests/fuzz/findings/parse): blanks and '+' were
     * skipped by strtol/strtod, and an element count past 2^64 saturated. */
    CHECK(hb_parse_int("--iters", "\t1", 1, 100, &v, &e) == HB_EUSAGE, "int rejects a leading tab");
    CHECK(hb_parse_int("--iters", "+5", 1, 100, &v, &e) == HB_EUSAGE, "int rejects a '+' sign");
    CHECK(hb_parse_int("--iters", "-0", 0, 100, &v, &e) == HB_EUSAGE, "int rejects '-' for a count");
    CHECK(!hb_parse_int("--x", "-3", -5, 5, &v, &e) && v == -3, "int takes '-' where negatives are allowed");
    CHECK(hb_parse_positive("--peak-bw", " 3350", &d, &e) == HB_EUSAGE, "positive rejects a leading blank");
    CHECK(!hb_parse_positive("--peak-bw", ".5", &d, &e) && d == 0.5, "positive takes .5");
    hb_size big;
    CHECK(hb_parse_size("--size", "111111111111111911111", &big, &e) == HB_EUSAGE && strstr(e.msg, "too large"),
          "an element count past 2^64 is too large, not 2^64-1: %s", e.msg);
    static const char *const allowed[] = {"copy", "triad", "dot", NULL};
    char buf[64];
    const char *items[8];
    int n;
    CHECK(!hb_parse_list("--bench", "copy,dot", allowed, buf, sizeof buf, items, 8, &n, &e) && n == 2 &&
              !strcmp(items[1], "dot"), "list copy,dot");
    CHECK(hb_parse_list("--bench", "copy,nope", allowed, buf, sizeof buf, items, 8, &n, &e) == HB_EUSAGE &&
              strstr(e.msg, "nope"), "list unknown item named: %s", e.msg);
    CHECK(hb_parse_list("--bench", "copy,copy", allowed, buf, sizeof buf, items, 8, &n, &e) == HB_EUSAGE,
          "list duplicate");
    CHECK(hb_parse_list("--bench", "copy,,dot", allowed, buf, sizeof buf, items, 8, &n, &e) == HB_EUSAGE,
          "list empty item");
    char out[32];
    hb_format_bytes(1ULL << 30, out, sizeof out);
    CHECK(!strcmp(out, "1.00 GiB"), "format 1 GiB: %s", out);
}

static void test_stats(void)
{
    const double x[] = {4, 1, 3, 2};
    hb_stats s = hb_stats_of(x, 4);
    CHECK(s.n == 4 && s.min == 1 && s.max == 4 && s.mean == 2.5 && s.median == 2.5, "stats of 4 values");
    CHECK(fabs(s.stddev - sqrt(5.0 / 3.0)) < 1e-15 && fabs(s.cv - s.stddev / 2.5) < 1e-15,
          "sample stddev (n-1) and cv");
    const double y[] = {5, 1, 3};
    CHECK(hb_stats_of(y, 3).median == 3, "odd median");
    CHECK(hb_stats_of(y, 1).stddev == 0, "one sample: stddev 0");
    CHECK(isnan(hb_stats_of(NULL, 0).min), "no samples: NAN");
    CHECK(x[0] == 4, "input not reordered");
}

static void test_byte_counts(void)
{
    /* STREAM/BabelStream counting: arrays read + arrays written. */
    const struct { const char *name; double arrays; } want[] = {
        {"copy", 2}, {"scale", 2}, {"add", 3}, {"triad", 3}, {"dot", 2}, {"read", 1}, {"write", 1}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const hb_bench *b = hb_bench_find(want[i].name);
        const hb_stream_fact *f = b ? hb_stream_fact_of(b) : NULL;
        CHECK(f && !strcmp(f->name, want[i].name) && hb_stream_arrays(f) == want[i].arrays,
              "%s counts %g arrays", want[i].name, want[i].arrays);
    }
    CHECK(hb_bench_find("nope") == NULL, "unknown bench not found");
}

static hb_device fake(int index, const char *name, const char *type, uint64_t mem, uint64_t alloc, uint64_t cache)
{
    hb_device d;
    memset(&d, 0, sizeof d);
    d.index = index;
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.type, sizeof d.type, "%s", type);
    d.global_mem_bytes = mem;
    d.max_alloc_bytes = alloc;
    d.global_cache_bytes = cache;
    d.kind = !strcmp(type, "HOST") ? HB_KIND_HOST : !strcmp(type, "GPU") ? HB_KIND_GPU : HB_KIND_CPU;
    return d;
}

static void test_select(void)
{
    hb_device v[4] = {fake(0, "NVIDIA H100 80GB HBM3", "GPU", 80ULL << 30, 20ULL << 30, 50ULL << 20),
                      fake(1, "NVIDIA H100 80GB HBM3", "GPU", 80ULL << 30, 20ULL << 30, 50ULL << 20),
                      fake(2, "pthread-haswell-AMD EPYC", "CPU", 4ULL << 30, 1ULL << 30, 32ULL << 20),
                      fake(3, "host", "HOST", 0, 0, 0)};
    hb_device_list l = {.v = v, .n = 4};
    int c[4];
    hb_err e = {0};
    CHECK(!hb_select_devices(&l, NULL, c, &e) && c[0] && c[1] && !c[2] && !c[3], "default: the GPUs");
    CHECK(!hb_select_devices(&l, "2", c, &e) && !c[0] && c[2], "by index");
    CHECK(!hb_select_devices(&l, "h100", c, &e) && c[0] && c[1] && !c[2], "by name, case-insensitive");
    CHECK(!hb_select_devices(&l, "epyc,host", c, &e) && c[2] && c[3] && !c[0], "list with host");
    CHECK(!hb_select_devices(&l, "default,host", c, &e) && c[0] && c[1] && !c[2] && c[3], "default,host");
    CHECK(!hb_select_devices(&l, "all", c, &e) && c[0] && c[1] && c[2] && c[3], "all");
    CHECK(hb_select_devices(&l, "7", c, &e) == HB_ENODEV && strstr(e.msg, "0 to 2"), "bad index: %s", e.msg);
    CHECK(hb_select_devices(&l, "3", c, &e) == HB_ENODEV && strstr(e.msg, "--device host"),
          "an index never selects the host baseline: %s", e.msg);
    snprintf(v[1].pci_bus_id, sizeof v[1].pci_bus_id, "0000:65:00.0");
    CHECK(!hb_select_devices(&l, "pci:65:00.0", c, &e) && !c[0] && c[1] && !c[2], "by PCI bus id without domain");
    CHECK(!hb_select_devices(&l, "pci:0000:65:00.0", c, &e) && c[1] && !c[0], "by PCI bus id with domain");
    CHECK(hb_select_devices(&l, "pci:5:00.0", c, &e) == HB_ENODEV, "a PCI bus id matches whole fields: %s", e.msg);
    CHECK(!hb_select_devices(&l, "gpu:1", c, &e) && c[1] && !c[0], "gpu:1, the second GPU");
    snprintf(v[0].uuid, sizeof v[0].uuid, "GPU-12345678-9abc-def0-1234-56789abcdef0");
    CHECK(!hb_select_devices(&l, "uuid:GPU-12345678-9abc-def0-1234-56789abcdef0", c, &e) && c[0] && !c[1],
          "by UUID");
    CHECK(!hb_select_devices(&l, "uuid:12345678-9ABC-DEF0-1234-56789ABCDEF0", c, &e) && c[0] && !c[1],
          "by UUID without GPU-, any case");
    CHECK(!hb_select_devices(&l, "name:host", c, &e) && c[3] && !c[0] && !c[2], "name:host, the exact name");
    CHECK(hb_select_devices(&l, "name:H100", c, &e) == HB_ENODEV, "name: is the whole name: %s", e.msg);
    CHECK(hb_select_devices(&l, "uuid:GPU-0", c, &e) == HB_ENODEV, "an absent UUID: exit 3: %s", e.msg);
    CHECK(!hb_select_devices(&l, "cpu:0", c, &e) && c[2] && !c[0], "cpu:0");
    CHECK(hb_select_devices(&l, "gpu:2", c, &e) == HB_ENODEV && strstr(e.msg, "2 devices"), "gpu:2: %s", e.msg);
    CHECK(hb_select_devices(&l, "mi300", c, &e) == HB_ENODEV, "no name match: %s", e.msg);
    /* ROCm names the device gfx942; AMD's board name selects it too */
    snprintf(v[1].name, sizeof v[1].name, "gfx942:sramecc+:xnack-");
    snprintf(v[1].board_name, sizeof v[1].board_name, "AMD Instinct MI300X");
    CHECK(!hb_select_devices(&l, "mi300x", c, &e) && c[1] && !c[0], "a board-name substring selects a gfx942");
    CHECK(!hb_select_devices(&l, "name:AMD Instinct MI300X", c, &e) && c[1] && !c[0], "name: the whole board name");
    CHECK(!hb_select_devices(&l, "gfx942", c, &e) && c[1] && !c[0], "the OpenCL name still selects it");
    hb_device_list cpu_only = {.v = v + 2, .n = 2};
    CHECK(!hb_select_devices(&cpu_only, NULL, c, &e) && c[0] && !c[1], "default without GPU: the CPU device");
    hb_device_list none = {.v = v + 3, .n = 1, .n_models = 1, .model_name = {"opencl"},
                           .model_status = {"clGetPlatformIDs: CL_PLATFORM_NOT_FOUND_KHR"}};
    CHECK(hb_select_devices(&none, NULL, c, &e) == HB_ENODEV && strstr(e.msg, "opencl: clGetPlatformIDs"),
          "no OpenCL: exit 3: %s", e.msg);
}

static void test_sizing(void)
{
    hb_host_info host;
    memset(&host, 0, sizeof host);
    host.n_caches = 1;
    host.caches[0].size_bytes = 32ULL << 20;
    host.memory_bytes = 24ULL << 30;
    hb_device gpu = fake(0, "NVIDIA H100 80GB HBM3", "GPU", 80ULL << 30, 20ULL << 30, 50ULL << 20);
    hb_device cpu = fake(1, "pocl", "CPU", 4ULL << 30, 1ULL << 30, 32ULL << 20);
    hb_size a = {1, 0, 0};
    uint64_t n;
    char why[256];
    hb_err e = {0};
    CHECK(!hb_plan_elements(&gpu, &host, &a, 4, &n, why, sizeof why, &e) && n * 4 == 1ULL << 30,
          "GPU auto: 1 GiB per array (%s)", why);
    CHECK(!hb_plan_elements(&cpu, &host, &a, 8, &n, why, sizeof why, &e) && n * 8 == 128ULL << 20,
          "CPU auto: 4 x 32 MiB (%s)", why);
    hb_size big = {0, 1, 10000000000ULL};
    CHECK(!hb_plan_elements(&gpu, &host, &big, 4, &n, why, sizeof why, &e) && n > (1ULL << 31),
          "more than 2^31 elements planned (%llu)", (unsigned long long)n);
    hb_size too_big = {0, 1, 2ULL << 30};
    CHECK(hb_plan_elements(&cpu, &host, &too_big, 8, &n, why, sizeof why, &e) == HB_EUSAGE,
          "beyond max allocation: %s", e.msg);
    hb_size elems = {0, 0, 1000};
    CHECK(!hb_plan_elements(&cpu, &host, &elems, 8, &n, why, sizeof why, &e) && n == 1000, "element count kept");
    /* 2^62 + 1 elements of 4 bytes wrap to 4 bytes in 64-bit arithmetic:
     * that must be refused, not measured as one element. */
    hb_size wraps = {0, 0, (1ULL << 62) + 1};
    CHECK(hb_plan_elements(&gpu, &host, &wraps, 4, &n, why, sizeof why, &e) == HB_EUSAGE &&
          strstr(e.msg, "more than 2^64 bytes"), "an element count whose bytes overflow is refused: %s", e.msg);
    hb_size most = {0, 0, UINT64_MAX};
    CHECK(hb_plan_elements(&gpu, &host, &most, 8, &n, why, sizeof why, &e) == HB_EUSAGE, "2^64-1 elements refused");
}

/* The start values make copy/scale/add/triad exact whatever the rounding
 * or FMA contraction (stream_values.h): check it on a million elements. */
static void test_exact_values(void)
{
    int f32_ok = 1, f64_ok = 1;
    for (uint64_t i = 0; i < 1000000; i++) {
        float b = hb_value_f32(i, HB_SEED_B), c = hb_value_f32(i, HB_SEED_C);
        double bd = hb_value_f64(i, HB_SEED_B), cd = hb_value_f64(i, HB_SEED_C);
        f32_ok &= fmaf(3.0f, c, b) == (float)((double)b + 3.0 * (double)c) && b >= 1 && b < 2;
        f64_ok &= fma(3.0, cd, bd) == (double)((long double)bd + 3.0L * (long double)cd) && bd >= 1 && bd < 2;
    }
    CHECK(f32_ok, "f32 triad exact with and without FMA");
    CHECK(f64_ok, "f64 triad exact with and without FMA");
    CHECK(hb_value_f32(1ULL << 33, HB_SEED_A) != hb_value_f32(0, HB_SEED_A), "64-bit index changes the value");
}

static void test_json_numbers(void)
{
    char text[] = "{\"a\": 0.050000000000000003, \"s\": \"0.10000000000000001 \\\" 2.5000\", \"n\": 17, "
                  "\"x\": [100.0, -2.5, 1.0000000000000001e-05, 1e+20, 123456789.0], \"k0.30000000000000004\": 0}";
    hb_json_shorten_reals(text);
    CHECK(!strcmp(text, "{\"a\": 0.05, \"s\": \"0.10000000000000001 \\\" 2.5000\", \"n\": 17, "
                        "\"x\": [100.0, -2.5, 1e-05, 1e+20, 123456789.0], \"k0.30000000000000004\": 0}"),
          "JSON reals shortened, strings (with an escaped quote), keys and integers untouched: %s", text);
    /* Every double drawn from its bits (finite ones) reads back exactly, never longer than %.17g. */
    uint64_t state = 42;
    int exact = 1, shorter = 1;
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = hb_splitmix64(&state);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        if (i % 2)
            v = (double)(bits >> 11) / 9007199254740992.0 * 1000.0; /* ordinary magnitudes too */
        char longest[40], shortest[32];
        snprintf(longest, sizeof longest, "%.17g", v);
        hb_json_real_text(v, shortest);
        exact &= strtod(shortest, NULL) == v && (strchr(shortest, '.') || strchr(shortest, 'e'));
        shorter &= strlen(shortest) <= strlen(longest) + 2; /* + ".0" where %.17g printed an integer */
    }
    CHECK(exact && shorter, "200000 random doubles: the shortest text reads back as the same double, still a real");
    /* whole numbers take a shortcut to their digits: the same text as the search from one digit */
    int same = 1;
    for (long long i = -2000; i < 200000; i += 7) {
        double w = (double)(i * (i % 3 ? 1 : 1000));
        char fast[32], searched[32];
        hb_json_real_text(w, fast);
        int d = 1;
        for (; d < 17; d++) {
            snprintf(searched, sizeof searched, "%.*g", d, w);
            if (strtod(searched, NULL) == w)
                break;
        }
        snprintf(searched, sizeof searched, "%.*g", d, w);
        same &= strtod(fast, NULL) == w && (strcmp(fast, searched) == 0 || strlen(fast) <= strlen(searched) + 2);
    }
    char t[32];
    hb_json_real_text(3000, t);
    same &= !strcmp(t, "3000.0");
    hb_json_real_text(100000, t);
    same &= !strcmp(t, "1e+05");
    hb_json_real_text(-0.0, t);
    same &= !strcmp(t, "-0.0");
    CHECK(same, "whole numbers: the fewest digits that read back (3000.0, 1e+05, -0.0)");
}

/* The tables mark noisy rows by check's own cv threshold, read from the embedded rules. */
static void test_noisy(void)
{
    CHECK(hb_noisy_cv() == 0.05 && hb_is_noisy(0.051) && !hb_is_noisy(0.05) && !hb_is_noisy(NAN),
          "noisy above the built-in cv rule's 5%% (read %g from default_rules.json)", hb_noisy_cv());
}

/* The one bag of named values: a long text (a device name) is kept whole,
 * a text replaced by a shorter or longer one reads back right, a full bag
 * refuses without leaving a key that has no value, and a merge copies texts
 * from the other bag's text area. */
static void test_params(void)
{
    hb_params a = {0}, b = {0};
    char name[300];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    CHECK(!hb_params_set_text(&a, "device", name) && strlen(hb_params_text(&a, "device")) == 299,
          "a 299-byte text is kept whole");
    CHECK(!hb_params_set_text(&a, "store", "nontemporal") && !hb_params_set_text(&a, "store", "plain") &&
              !strcmp(hb_params_text(&a, "store"), "plain"),
          "a text replaced by a shorter one");
    CHECK(!hb_params_set_text(&a, "store", "write-combining") && !strcmp(hb_params_text(&a, "store"), "write-combining"),
          "a text replaced by a longer one");
    CHECK(!hb_params_set_num(&a, "store", 4) && hb_params_num(&a, "store") == 4 && !strcmp(hb_params_text(&a, "store"), ""),
          "a text replaced by a number");
    CHECK(!hb_params_set_bool(&a, "zero_copy", 1) && hb_params_get(&a, "zero_copy")->is_bool, "a yes/no");
    CHECK(isnan(hb_params_num(&a, "device")) && isnan(hb_params_num(&a, "absent")), "a text or an absent key is no number");
    CHECK(!hb_params_set_text(&a, "second", name), "a second long text");
    int n = a.n;
    CHECK(hb_params_set_text(&a, "too_long", name) == -1 && a.n == n && !hb_params_get(&a, "too_long"),
          "no room for a new text: refused, and no key left without a value");
    CHECK(!hb_params_set_num(&a, "zero_copy", 0) && hb_params_set_text(&a, "zero_copy", name) == -1 &&
              hb_params_num(&a, "zero_copy") == 0,
          "no room to turn a number into a text: the number stays");
    CHECK(!hb_params_merge(&b, &a) && b.n == a.n && !strcmp(hb_params_text(&b, "second"), name) &&
              !strcmp(hb_params_text(&b, "store"), "") && hb_params_num(&b, "zero_copy") == 0,
          "a merge copies every entry with its text");
    hb_params full = {0};
    char key[32];
    for (int i = 0; i < HB_MAX_PARAMS; i++) {
        snprintf(key, sizeof key, "k%d", i);
        hb_params_set_num(&full, key, i);
    }
    CHECK(hb_params_set_num(&full, "one_more", 1) == -1 && full.n == HB_MAX_PARAMS && !hb_params_set_num(&full, "k3", 7) &&
              hb_params_num(&full, "k3") == 7,
          "a full bag refuses a new key and still sets one it has");
}

int main(void)
{
    test_size();
    test_numbers_and_lists();
    test_stats();
    test_byte_counts();
    test_select();
    test_sizing();
    test_exact_values();
    test_json_numbers();
    test_noisy();
    test_params();
    return hb_check_failures() != 0;
}
