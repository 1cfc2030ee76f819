/* SPDX-License-Identifier: Apache-2.0 */
/* keep_loaded: a dlclose(3) that keeps the library loaded, preloaded
 * (LD_PRELOAD) into every test of a sanitizer build (sanitize.cmake).
 *
 * LeakSanitizer looks for leaks at exit. What a plugin leaked before it was
 * unloaded (hwloc's PCI plugin, through libpciaccess, does on every
 * topology) is then reported with "<unknown module>" frames: the code is
 * gone, so the report names nobody, and a suppression cannot match it
 * (suppressions match function, source file or module names:
 * https://github.com/google/sanitizers/wiki/AddressSanitizerLeakSanitizer).
 * Kept loaded, such memory is still reachable from the library and is no
 * report at all, and what the libraries do leak is reported by name and
 * suppressed in lsan.supp, where each entry says why. Our own code never
 * calls dlclose on anything it still needs (peak_nvml.c closes NVML). */
int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
