/* SPDX-License-Identifier: Apache-2.0 */
/* hbmbench: memory-bandwidth benchmarks for GPUs, accelerators and CPUs,
 * through OpenCL and hwloc. See README.md. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "hb_error.h"
#ifdef HB_HAVE_MPI
#include "cluster.h"   /* runner/cluster/: `run` under mpirun or srun */
#endif

static const char usage[] =
    "usage: hbmbench <command> [options]\n"
    "\n"
    "commands:\n"
    "  list      list OpenCL devices and the host, with topology and peaks\n"
    "  run       run the benchmarks and write a JSON result file\n"
    "  compare   compare result files: significance, environment differences, CI gate\n"
    "  check     judge a result file against acceptance rules (per-SKU minimums)\n"
    "  export    a result file (and its verdicts) as OpenMetrics text for Prometheus\n"
#ifdef HB_HAVE_MPI
    "  merge     gather the partial files an MPI run's ranks kept into one result file\n"
#endif
    "\n"
    "  hbmbench <command> --help   options of a command\n"
    "  hbmbench --version          version and commit\n"
    "\n"
    "exit codes: 0 success; 1 a measurement failed verification, a device failed or\n"
    "            a check rule failed;\n"
    "            2 bad usage; 3 no device found, or none matched\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return HB_EUSAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return HB_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("hbmbench %s (commit %s)\n", HB_VERSION, HB_GIT_COMMIT);
        return HB_OK;
    }
    if (!strcmp(cmd, "list"))
        return hb_cmd_list(argc - 1, argv + 1);
    if (!strcmp(cmd, "run"))
#ifdef HB_HAVE_MPI
        return hb_cmd_run_cluster(argc - 1, argv + 1);   /* hb_cmd_run() unless an MPI launcher started us */
#else
        return hb_cmd_run(argc - 1, argv + 1);
#endif
    if (!strcmp(cmd, "compare"))
        return hb_cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return hb_cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "export"))
        return hb_cmd_export(argc - 1, argv + 1);
#ifdef HB_HAVE_MPI
    if (!strcmp(cmd, "merge"))
        return hb_cmd_merge(argc - 1, argv + 1);
#endif
    fprintf(stderr, "hbmbench: unknown command '%s'\n\n%s", cmd, usage);
    return HB_EUSAGE;
}
