#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Device identity and scheduler provenance in result files
# (docs/usage.md#device-identity, #scheduler-provenance):
#   - the mock GPU's UUID from NVML (mock_nvml.c), from CUDA when NVML is
#     absent, null with the call's error name when cuDeviceGetUuid fails;
#     its serial, null with NVML_ERROR_NOT_SUPPORTED on a board without one;
#     PoCL's OpenCL device: null, the extension named as missing;
#   - `run` records Slurm, PBS and LSF jobs from their variables; a
#     malformed value is a warning and null, never a failed run.
# The mock-driver half is skipped where NVRTC does not load (as cuda_mock.sh).
# usage: identity_cli.sh HBMBENCH MOCK_LIBCUDA MOCK_NVML PYTHON VALIDATE_SCHEMA
set -u
hb=$1 mock=$2 mock_nvml=$3 py=$4 validate=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# no scheduler of the machine running the tests may leak into them
unset $(env | sed -n 's/^\(SLURM_[A-Z_]*\|PBS_[A-Z_]*\|LSB_[A-Z_]*\)=.*/\1/p')

# field FILE EXPR: print a Python expression over the document d
field() { "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
expect() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got [$2], want [$3]"; fi
}

# ---- device identity on the mock GPU ----
if HB_LIBCUDA=$mock HB_LIBNVML=$mock_nvml "$hb" list --json --model cuda >"$tmp/nvml.json" 2>"$tmp/err" &&
    grep -q '"Mock GPU"' "$tmp/nvml.json"; then
    cuda_dev='[x for x in d["devices"] if x["name"] == "Mock GPU"][0]'
    expect "NVML's UUID" "$(field "$tmp/nvml.json" "$cuda_dev['uuid'], $cuda_dev['uuid_source']")" \
        "('GPU-6d6f636b-0001-0203-0405-060708090a0b', 'nvmlDeviceGetUUID')"
    expect "NVML's serial" "$(field "$tmp/nvml.json" "$cuda_dev['serial'], $cuda_dev['identity_detail']")" \
        "('1650123456789', None)"
    HB_LIBCUDA=$mock HB_LIBNVML=$tmp/no-nvml.so "$hb" list --json --model cuda >"$tmp/cuda.json" 2>/dev/null
    expect "CUDA's UUID without NVML" "$(field "$tmp/cuda.json" "$cuda_dev['uuid'], $cuda_dev['uuid_source'], $cuda_dev['serial']")" \
        "('GPU-6d6f636b-0001-0203-0405-060708090a0b', 'cuDeviceGetUuid_v2', None)"
    HB_MOCK_NO_UUID=1 HB_LIBCUDA=$mock HB_LIBNVML=$tmp/no-nvml.so "$hb" list --json --model cuda >"$tmp/nouuid.json" 2>/dev/null
    got=$(field "$tmp/nouuid.json" "$cuda_dev['uuid'], 'cuDeviceGetUuid_v2: CUDA_ERROR_INVALID_VALUE' in $cuda_dev['identity_detail']")
    expect "a failed cuDeviceGetUuid is null with its error name" "$got" "(None, True)"
    HB_MOCK_NO_UUID=1 HB_LIBCUDA=$mock HB_LIBNVML=$mock_nvml "$hb" list --json --model cuda >"$tmp/nvmlonly.json" 2>/dev/null
    expect "NVML makes up for a failed cuDeviceGetUuid, no stale note" \
        "$(field "$tmp/nvmlonly.json" "$cuda_dev['uuid_source'], $cuda_dev['identity_detail']")" "('nvmlDeviceGetUUID', None)"
    HB_MOCK_NO_SERIAL=1 HB_LIBCUDA=$mock HB_LIBNVML=$mock_nvml "$hb" list --json --model cuda >"$tmp/noserial.json" 2>/dev/null
    expect "a board without a serial" "$(field "$tmp/noserial.json" "$cuda_dev['serial'], $cuda_dev['identity_detail']")" \
        "(None, 'nvmlDeviceGetSerial: NVML_ERROR_NOT_SUPPORTED')"
    # the result file of a run carries the same identity, and is schema-valid
    if HB_LIBCUDA=$mock HB_LIBNVML=$mock_nvml "$hb" run --device mock --model cuda --bench copy --dtype f32 \
        --size 1MiB --iters 2 --tune off --out "$tmp/run.json" >/dev/null 2>"$tmp/err" &&
        "$py" "$validate" "$tmp/run.json" >/dev/null; then
        expect "the run's device has the UUID and serial" "$(field "$tmp/run.json" "d['devices'][0]['uuid'], d['devices'][0]['serial']")" \
            "('GPU-6d6f636b-0001-0203-0405-060708090a0b', '1650123456789')"
    else
        fail "run on the mock GPU"; cat "$tmp/err"
    fi
else
    echo "SKIP mock GPU identity: $(head -3 "$tmp/err")"
fi

# ---- PoCL: no cl_khr_device_uuid ----
if "$hb" list --json --model opencl >"$tmp/ocl.json" 2>/dev/null; then
    got=$(field "$tmp/ocl.json" "[(x['uuid'], x['identity_detail']) for x in d['devices'] if 'Portable' in x['platform']['name']][:1]")
    case $got in
    "[]") echo "SKIP PoCL not found" ;;
    *cl_khr_device_uuid*) expect "PoCL: uuid null, the extension named" "${got:0:8}" "[(None, " ;;
    *) fail "PoCL identity: $got" ;;
    esac
fi

# ---- scheduler provenance ----
# hrun NAME [VAR=VALUE...]: a tiny host run under those variables
hrun() {
    local name=$1
    shift
    env "$@" "$hb" run --model host --bench copy --dtype f32 --size 1MiB --iters 2 --tune off \
        --out "$tmp/$name.json" >/dev/null 2>"$tmp/$name.err"
}
hrun none
expect "no job: scheduler null" "$(field "$tmp/none.json" "d['scheduler']")" "None"

hrun slurm SLURM_JOB_ID=81234 SLURM_JOB_NAME="hbm sweep" SLURM_JOB_NODELIST="gpu[01-04],login1" \
    SLURM_STEP_ID=3 SLURM_ARRAY_JOB_ID=81200 SLURM_ARRAY_TASK_ID=7
expect "Slurm job" "$(field "$tmp/slurm.json" "sorted(d['scheduler'].items())")" \
    "[('array_job_id', '81200'), ('array_task_id', '7'), ('job_id', '81234'), ('job_name', 'hbm sweep'), ('name', 'slurm'), ('nodes', 'gpu[01-04],login1'), ('nodes_from', 'SLURM_JOB_NODELIST'), ('step_id', '3')]"
"$py" "$validate" "$tmp/slurm.json" >/dev/null && pass "Slurm file schema-valid" || fail "Slurm file schema"

if hrun badslurm SLURM_JOB_ID='81234;rm -rf' SLURM_JOB_NAME=$'evil\033[2Jname' SLURM_JOB_NODELIST='gpu 01' SLURM_STEP_ID=0; then
    expect "malformed Slurm values are null" "$(field "$tmp/badslurm.json" "[d['scheduler'][k] for k in ('name', 'job_id', 'job_name', 'nodes', 'step_id')]")" \
        "['slurm', None, None, None, '0']"
    n=$(grep -c "warning: SLURM_" "$tmp/badslurm.err")
    expect "one warning per malformed variable" "$n" "3"
    if grep -q $'\033' "$tmp/badslurm.err"; then fail "a warning printed an escape sequence"; else pass "warnings are terminal-safe"; fi
else
    fail "a malformed Slurm variable failed the run"; cat "$tmp/badslurm.err"
fi

printf 'n01.cluster\nn01.cluster\nn02.cluster\n\nn02.cluster\n' >"$tmp/nodefile"
hrun pbs PBS_JOBID=5521.pbs-server PBS_JOBNAME=stream PBS_NODEFILE="$tmp/nodefile"
expect "PBS job" "$(field "$tmp/pbs.json" "[d['scheduler'][k] for k in ('name', 'job_id', 'job_name', 'nodes', 'nodes_from', 'step_id')]")" \
    "['pbs', '5521.pbs-server', 'stream', 'n01.cluster,n02.cluster', 'PBS_NODEFILE', None]"
hrun pbsmissing PBS_JOBID=5522 PBS_NODEFILE="$tmp/absent"
expect "an unreadable PBS_NODEFILE: nodes null, warned" \
    "$(field "$tmp/pbsmissing.json" "d['scheduler']['nodes']") $(grep -c 'warning: PBS_NODEFILE' "$tmp/pbsmissing.err")" "None 1"

hrun lsf LSB_JOBID=777 LSB_JOBNAME=nightly LSB_MCPU_HOSTS="hostA 4 hostB 4" LSB_HOSTS="hostA hostA hostB" LSB_JOBINDEX=0
expect "LSF job" "$(field "$tmp/lsf.json" "[d['scheduler'][k] for k in ('name', 'job_id', 'job_name', 'nodes', 'nodes_from', 'array_task_id')]")" \
    "['lsf', '777', 'nightly', 'hostA,hostB', 'LSB_MCPU_HOSTS', None]"
hrun lsfbad LSB_JOBID=778 LSB_MCPU_HOSTS="hostA four"
expect "a malformed LSB_MCPU_HOSTS is null" "$(field "$tmp/lsfbad.json" "d['scheduler']['nodes']")" "None"

# compare reads the new fields back without complaint
if "$hb" compare "$tmp/none.json" "$tmp/slurm.json" >/dev/null 2>"$tmp/cmp.err"; then
    pass "compare reads files with scheduler and identity"
else
    fail "compare: $(cat "$tmp/cmp.err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
