#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the instructions of a Containerfile (packaging/Containerfile) in a
# chroot, for machines without a working podman, buildah or docker: the
# RUN steps are the image's real build, in a root file system of the FROM
# image's distribution made beforehand (docs/install.md), e.g.
#   debootstrap --variant=minbase bookworm /tmp/hb-rootfs http://deb.debian.org/debian
#   packaging/containerfile-chroot.sh --build-arg HB_JOBS=2 packaging/Containerfile /tmp/hb-rootfs
# What it does not do: pull the FROM image (ROOTFS stands for it), layers,
# USER, EXPOSE, VOLUME, HEALTHCHECK, exec-form RUN. ARG and ENV values are in
# every later RUN's environment, as in a container build; COPY honours the
# context's .dockerignore (plain patterns and a leading **/).
# --dry-run parses and prints the steps, and checks that every COPY source
# exists in the context: no root needed (tests/install.cmake runs it).
# At the end ENTRYPOINT + CMD runs once in the chroot (--no-smoke: not).
# usage: containerfile-chroot.sh [--dry-run] [--no-smoke] [--build-arg NAME=VALUE]...
#                                CONTAINERFILE [ROOTFS] [CONTEXT (default: .)]
set -euo pipefail
dry=0 smoke=1
declare -A args=()
while [ $# -gt 0 ]; do
    case $1 in
        --dry-run) dry=1 ;;
        --no-smoke) smoke=0 ;;
        --build-arg) args[${2%%=*}]=${2#*=}; shift ;;
        -*) echo "containerfile-chroot.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
file=${1:?usage: containerfile-chroot.sh [--dry-run] CONTAINERFILE [ROOTFS] [CONTEXT]}
root=${2:-} ctx=${3:-.}
if [ $dry -eq 0 ] && { [ -z "$root" ] || [ ! -x "$root/bin/sh" ]; }; then
    echo "containerfile-chroot.sh: ROOTFS '$root' is not a root file system (no bin/sh)" >&2; exit 2
fi

# The instructions, one per line: continuation lines joined, comments and
# blank lines dropped (Dockerfile reference, "Format").
steps=$(awk '
    /^[[:space:]]*#/ { next }
    { line = line $0 }
    /\\[[:space:]]*$/ { sub(/\\[[:space:]]*$/, " ", line); next }
    line ~ /[^[:space:]]/ { print line }
    { line = "" }' "$file")

env_list=() workdir=/ entry="" cmd=""
mounted=()
cleanup() { for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
mount_chroot() {
    [ ${#mounted[@]} -gt 0 ] && return
    for d in proc sys dev dev/pts; do
        mkdir -p "$root/$d"
        case $d in proc) mount -t proc proc "$root/proc" ;; sys) mount --rbind /sys "$root/sys" ;;
                   *) mount --bind "/$d" "$root/$d" ;; esac
        mounted+=("$root/$d")
    done
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}
in_chroot() {   # COMMAND: /bin/sh -c COMMAND in WORKDIR with the ARG and ENV values
    mount_chroot
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "${env_list[@]}" /bin/sh -c "mkdir -p '$workdir' && cd '$workdir' && $1"
}
copy_in() {     # SRC DST, SRC relative to the context
    local src=$1 dst=$2 excl=() pat
    if [ -f "$ctx/.dockerignore" ]; then
        while IFS= read -r pat; do
            case $pat in ''|'#'*) continue ;; '**/'*) excl+=(--no-anchored "--exclude=${pat#\*\*/}") ;;
                         *) excl+=(--anchored "--exclude=./${pat%/}") ;; esac
        done < "$ctx/.dockerignore"
    fi
    if [ -d "$ctx/$src" ]; then
        mkdir -p "$root/$dst"
        tar -C "$ctx/$src" "${excl[@]}" -cf - . | tar -C "$root/$dst" -xf -
    else
        case $dst in
            */) mkdir -p "$root/$dst"; cp "$ctx/$src" "$root/$dst" ;;
            *) mkdir -p "$root/$(dirname "$dst")"; cp "$ctx/$src" "$root/$dst" ;;
        esac
    fi
}
json_words() { sed -e 's/^[[:space:]]*\[//' -e 's/\][[:space:]]*$//' -e 's/"[[:space:]]*,[[:space:]]*"/ /g' -e 's/"//g' <<<"$1"; }

n=0
while IFS= read -r line; do
    n=$((n + 1))
    kw=${line%%[[:space:]]*} rest=${line#"$kw"}
    rest=${rest#"${rest%%[![:space:]]*}"}
    kw=${kw^^}
    echo "== step $n: $kw $rest"
    case $kw in
        FROM) echo "   (the image is ROOTFS: ${root:-none, --dry-run})" ;;
        ARG)
            name=${rest%%=*} value=""
            [[ $rest == *=* ]] && value=${rest#*=}
            [ -n "${args[$name]+x}" ] && value=${args[$name]}
            env_list+=("$name=$value") ;;
        ENV)
            if [[ $rest == *=* ]]; then for kv in $rest; do env_list+=("$kv"); done
            else env_list+=("${rest%% *}=${rest#* }"); fi ;;
        WORKDIR) workdir=$rest ;;
        COPY)
            read -r -a parts <<<"$rest"
            dst=${parts[-1]}
            for src in "${parts[@]:0:${#parts[@]}-1}"; do
                [ -e "$ctx/$src" ] || { echo "containerfile-chroot.sh: COPY source $src is not in the context $ctx" >&2; exit 1; }
                [ $dry -eq 1 ] || copy_in "$src" "$dst"
            done ;;
        RUN)
            [[ $rest == '['* ]] && { echo "containerfile-chroot.sh: exec-form RUN is not supported" >&2; exit 1; }
            [ $dry -eq 1 ] || in_chroot "$rest" ;;
        ENTRYPOINT) entry=$(json_words "$rest") ;;
        CMD) cmd=$(json_words "$rest") ;;
        LABEL) ;;
        *) echo "containerfile-chroot.sh: $kw is not supported" >&2; exit 1 ;;
    esac
done <<<"$steps"

echo "== entrypoint: $entry $cmd"
if [ $dry -eq 0 ] && [ $smoke -eq 1 ] && [ -n "$entry$cmd" ]; then
    in_chroot "$entry $cmd"
fi
echo "== done: $n steps of $file"
