/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz: what the libFuzzer targets in this folder share.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput (the libFuzzer entry
 * point, https://llvm.org/docs/LibFuzzer.html) for one parser. Built with
 * -DHB_FUZZ=ON (clang) it links libFuzzer and searches; in every build it
 * also links replay_main.c, which runs the seed corpus and the saved
 * findings once each, so a fixed finding stays fixed without clang.
 *
 * A target checks what the parser promises, not only that it does not
 * crash: HB_FUZZ_ASSERT aborts (a finding) when a promise is broken. */
#ifndef HB_FUZZ_H
#define HB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HB_FUZZ_ASSERT(cond, ...)                                                  \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "%s:%d: broken promise: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                          \
            fputc('\n', stderr);                                                   \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* data as a NUL-terminated string (cut at its first NUL, as argv would
 * be); the caller frees it. */
static inline char *hb_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
