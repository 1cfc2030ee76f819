#include "output.h"

#include <math.h>
#include <string.h>

#include "parse.h"

void hb_print_conventions(FILE *f)
{
    fputs("# GB/s = 1e9 bytes/s. Bytes counted as STREAM/BabelStream: copy, scale 2 arrays; add, triad 3;\n"
          "#   dot 2; read 1; write 1; write-allocate traffic not counted.\n"
          "# best = from the minimum time, median = from the median time of the timed iterations\n"
          "#   (OpenCL profiling events; warm-up excluded). CV = stddev/mean of the times.\n"
          "# %peak = best / theoretical peak; its source is listed per device. size = bytes per array.\n", f);
}

static void print_peaks(FILE *f, const hb_run *run)
{
    for (size_t i = 0; i < run->n_devices; i++) {
        const hb_device *d = &run->devices[i];
        const hb_peak_value *p = &d->peaks.bw_gbs;
        if (isnan(p->value))
            fprintf(f, "# [%d] %s: peak bandwidth unknown (%s)\n", d->index, d->name, p->detail);
        else
            fprintf(f, "# [%d] %s: peak bandwidth %.1f GB/s, source %s: %s\n", d->index, d->name, p->value,
                    hb_peak_src_name(p->src), p->detail);
    }
}

static void fmt_num(char *buf, size_t len, double v, int decimals, const char *suffix)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f%s", decimals, v, suffix);
}

void hb_print_table(FILE *f, const hb_run *run)
{
    hb_print_conventions(f);
    print_peaks(f, run);
    fprintf(f, "%-4s %-22s %-6s %-5s %10s %10s %10s %7s %6s  %-7s %s\n", "dev", "device", "bench", "dtype",
            "size", "best GB/s", "med GB/s", "%peak", "CV", "valid", "config");
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        char size[32], best[24], med[24], pct[24], cv[24], cfg[160];
        hb_format_bytes(r->elements * (strcmp(r->dtype, "f64") == 0 ? 8 : 4), size, sizeof size);
        fmt_num(best, sizeof best, r->bw_best_gbs, 2, "");
        fmt_num(med, sizeof med, r->bw_median_gbs, 2, "");
        fmt_num(pct, sizeof pct, r->percent_of_peak, 1, "");
        fmt_num(cv, sizeof cv, r->stats.cv * 100, 1, "%");
        hb_params_format(&r->config, cfg, sizeof cfg);
        fprintf(f, "%-4d %-22.22s %-6s %-5s %10s %10s %10s %7s %6s  %-7s %s\n", r->device_index, r->device,
                r->bench, r->dtype, size, best, med, pct, cv, r->valid ? "yes" : "INVALID", cfg);
    }
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (r->notes[0])
            fprintf(f, "# note: [%d] %s %s: %s\n", r->device_index, r->bench, r->dtype, r->notes);
    }
}

static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    if (!isnan(v))
        fprintf(f, "%.9g", v);
}

void hb_print_csv(FILE *f, const hb_run *run)
{
    fputs("device_index,device,pci_bus_id,bench,dtype,elements,bytes_per_iter,best_gbs,median_gbs,"
          "min_s,median_s,mean_s,max_s,stddev_s,cv,peak_bandwidth_gbs,peak_source,percent_of_peak,valid,"
          "config,notes\n", f);
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        char cfg[160];
        hb_params_format(&r->config, cfg, sizeof cfg);
        fprintf(f, "%d,", r->device_index);
        csv_text(f, r->device);
        fprintf(f, ",%s,%s,%s,%llu,%.0f,", r->pci_bus_id, r->bench, r->dtype, (unsigned long long)r->elements,
                r->bytes_per_iter);
        const double nums[] = {r->bw_best_gbs, r->bw_median_gbs, r->stats.min, r->stats.median, r->stats.mean,
                               r->stats.max, r->stats.stddev, r->stats.cv, r->peak_bw_gbs};
        for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
            csv_num(f, nums[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,", r->peak_source);
        csv_num(f, r->percent_of_peak);
        fprintf(f, ",%s,", r->valid ? "true" : "false");
        csv_text(f, cfg);
        fputc(',', f);
        csv_text(f, r->notes);
        fputc('\n', f);
    }
}
