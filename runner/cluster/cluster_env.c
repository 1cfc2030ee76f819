/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_env: whether an MPI launcher started this process, read from the
 * environment each launcher gives its processes (before MPI_Init, which a
 * plain run never calls):
 *   - Open MPI's mpirun: OMPI_COMM_WORLD_SIZE, _RANK, _LOCAL_RANK
 *     (https://docs.open-mpi.org/en/v5.0.x/tuning-apps/environment-var.html;
 *     Open MPI 4.1 sets the same);
 *   - Slurm's srun: SLURM_STEP_ID, SLURM_PROCID, SLURM_LOCALID
 *     (https://slurm.schedmd.com/srun.html#SECTION_OUTPUT-ENVIRONMENT-VARIABLES).
 *     SLURM_STEP_ID is required because a batch script alone (sbatch) also
 *     carries SLURM_ variables without any MPI launch;
 *   - PMIx launchers (prterun, Open MPI 5): PMIX_RANK;
 *   - PMI-1 launchers (MPICH's Hydra mpiexec): PMI_SIZE, PMI_RANK
 *     (https://flux-framework.readthedocs.io/projects/flux-rfc/en/latest/spec_13.html).
 * HB_CLUSTER=0 forces a plain run, HB_CLUSTER=1 an MPI one (docs/cluster.md). */
#include "env.h"
#include "cluster.h"
#include "cluster_internal.h"

#include <stdlib.h>
#include <string.h>

static int env_int(const char *name)
{
    const char *v = hb_env(name);
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : -1;
    return v && *v && !*end && n >= 0 && n < 1 << 30 ? (int)n : -1;
}

void hb_launch_detect(hb_launch *l)
{
    const char *force = hb_env("HB_CLUSTER");
    *l = (hb_launch){NULL, -1, -1};
    if (force && !strcmp(force, "0"))
        return;
    if (hb_env("OMPI_COMM_WORLD_SIZE"))
        *l = (hb_launch){"open-mpi", env_int("OMPI_COMM_WORLD_RANK"), env_int("OMPI_COMM_WORLD_LOCAL_RANK")};
    else if (hb_env("SLURM_STEP_ID") && hb_env("SLURM_PROCID"))
        *l = (hb_launch){"slurm", env_int("SLURM_PROCID"), env_int("SLURM_LOCALID")};
    else if (hb_env("PMIX_RANK"))
        *l = (hb_launch){"pmix", env_int("PMIX_RANK"), -1};
    else if (hb_env("PMI_SIZE"))
        *l = (hb_launch){"pmi", env_int("PMI_RANK"), -1};
    else if (force && !strcmp(force, "1"))
        l->launcher = "forced";
}

int hb_cluster_launched(void)
{
    hb_launch l;
    hb_launch_detect(&l);
    return l.launcher != NULL;
}
