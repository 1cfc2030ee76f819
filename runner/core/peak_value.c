/* SPDX-License-Identifier: Apache-2.0 */
/* peak_value: the names of peak sources, as result files write them. */
#include "peak_value.h"

const char *hb_peak_src_name(hb_peak_src src)
{
    switch (src) {
    case HB_PEAK_USER: return "user";
    case HB_PEAK_FILE: return "peaks-file";
    case HB_PEAK_VENDOR: return "vendor";
    case HB_PEAK_TABLE: return "table";
    case HB_PEAK_DERIVED: return "derived";
    case HB_PEAK_UNKNOWN: break;
    }
    return "unknown";
}
