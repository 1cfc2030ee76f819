/* SPDX-License-Identifier: Apache-2.0 */
/* scheduler: the batch job a run belongs to (JSON "scheduler"), read from
 * the environment that Slurm, PBS or LSF gives a job
 * (runner/discovery/scheduler_env.c); name "" when no scheduler said so.
 * Every field is "" when unknown or malformed. */
#ifndef HB_SCHEDULER_H
#define HB_SCHEDULER_H

typedef struct hb_scheduler {
    char name[8];              /* "slurm", "pbs", "lsf"; "" outside a job */
    char job_id[64];
    char job_name[256];
    char nodes[2048];          /* the job's hosts, as the scheduler spells them (Slurm hostlist syntax) */
    char nodes_from[24];       /* the variable nodes came from: "SLURM_JOB_NODELIST", "PBS_NODEFILE", "LSB_MCPU_HOSTS" */
    char step_id[32];          /* Slurm's job step */
    char array_job_id[64], array_task_id[32];
} hb_scheduler;

#endif
