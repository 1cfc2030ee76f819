# SPDX-License-Identifier: Apache-2.0
# Sourced by the MPI tests: $mpirun becomes Open MPI's mpirun (the one
# given, else the first on PATH), or the test exits 77 (skipped): the tests
# use Open MPI's own options (--oversubscribe, --mca), and CI runs as root,
# which Open MPI refuses unless told (mpirun(1), "--allow-run-as-root").
[ -n "${mpirun:-}" ] && [ -x "$mpirun" ] || mpirun=$(command -v mpirun || true)
if [ -z "$mpirun" ] || ! "$mpirun" --version 2>/dev/null | grep -q "Open MPI"; then
    echo "SKIP: no Open MPI mpirun"
    exit 77
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
