/* SPDX-License-Identifier: Apache-2.0 */
/* check: the tiny assertion helpers the C tests share. Each check prints
 * "PASS name" or "FAIL name: why"; main returns hb_check_failures() != 0. */
#ifndef HB_CHECK_H
#define HB_CHECK_H

#include <stdio.h>

static int hb_check_failed_count;

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (cond) {                                             \
            printf("PASS ");                                    \
        } else {                                                \
            printf("FAIL (%s:%d: %s) ", __FILE__, __LINE__, #cond); \
            hb_check_failed_count++;                            \
        }                                                       \
        printf(__VA_ARGS__);                                    \
        putchar('\n');                                          \
    } while (0)

static inline int hb_check_failures(void)
{
    printf("%d failed\n", hb_check_failed_count);
    return hb_check_failed_count;
}

#endif
