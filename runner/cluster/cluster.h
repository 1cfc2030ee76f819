/* SPDX-License-Identifier: Apache-2.0 */
/* cluster: `hbmbench run` started by an MPI launcher (mpirun, srun): each
 * rank measures one device of its node, chosen from its node-local rank,
 * and rank 0 writes one result file with every rank's results, aggregates
 * over identical devices and the outliers (docs/cluster.md).
 *
 * The top layer: it runs the ordinary `run` command (runner/cli/cmd_run.c)
 * once per rank, on the device it chose, and gathers what each wrote.
 * Built only with HB_WITH_MPI; main.c sends every `run` here, which passes
 * it on unchanged when no launcher started the process. */
#ifndef HB_CLUSTER_H
#define HB_CLUSTER_H

/* Whether an MPI launcher started this process (cluster_env.c). */
int hb_cluster_launched(void);

/* `hbmbench run` (argv[0] is "run"): one rank of an MPI run when
 * hb_cluster_launched(), else exactly hb_cmd_run(). Returns the exit code. */
int hb_cmd_run_cluster(int argc, char **argv);

/* `hbmbench merge`: the gathered file from the ranks' partial files
 * (cmd_merge.c). Returns the exit code. */
int hb_cmd_merge(int argc, char **argv);

#endif
