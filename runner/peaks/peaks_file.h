/* SPDX-License-Identifier: Apache-2.0 */
/* peaks_file: the user's --peaks FILE, figures for machines the built-in
 * table does not know (or knows wrongly):
 *   {"devices": [{"match": "NVIDIA H100 80GB HBM3" | "0000:65:00.0",
 *                 "bw_gbs": 3350, "fp32_gflops": 67000, "fp64_gflops": 34000,
 *                 "source": "free text"}]}
 * "match" is a PCI bus id (compared as numbers with the device's, so
 * "0000:65:00.0", "00000000:65:00.0" and "65:00.0" agree) or else a
 * case-insensitive substring of the device name. Any figure may be missing. */
#ifndef HB_PEAKS_FILE_H
#define HB_PEAKS_FILE_H

#include "device.h"
#include "hb_error.h"

/* Fills each of dev->peaks' three values that is still HB_PEAK_UNKNOWN from
 * the first entry that matches dev and has that figure; entries matched by
 * PCI bus id are tried before entries matched by name, each in file order.
 * Fails with HB_EUSAGE on an unreadable or malformed file ("FILE:LINE:COL:
 * message") or a wrongly typed entry (naming the file and the entry), even
 * when no entry matches this device. */
int hb_peaks_file_apply(const char *path, hb_device *dev, hb_err *err);

/* The entries of the file that match none of devs, by bus id or by name: a
 * typo in a "match" would otherwise leave a peak silently unknown. Their
 * "match" strings, quoted and ", "-separated, go to out; *count says how
 * many. Fails as hb_peaks_file_apply does. */
int hb_peaks_file_unmatched(const char *path, const hb_device *devs, size_t n_devs, char *out, size_t len,
                            int *count, hb_err *err);

#endif
