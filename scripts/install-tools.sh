#!/usr/bin/env bash
# Installs the tools the tests need from Debian's packages: wabt (wast2json, wat2wasm) for the spec
# suite and WAT-based tests, binaryen (wasm-opt) for the differential fuzz test. Does nothing when
# they are present, so it is safe to run every time.
set -euo pipefail

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
updated=0

# ensure COMMAND PACKAGE REQUIRED: installs PACKAGE when COMMAND is missing.
ensure() {
    local command="$1" package="$2" required="$3"
    command -v "$command" >/dev/null 2>&1 && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-tools: $command is missing and apt-get is unavailable; install $package by hand." >&2
        [ "$required" = yes ] && exit 1 || return 0
    fi
    echo "install-tools: installing $package (for $command)"
    # Refresh the package lists once, and only when the package is not known yet.
    if [ "$updated" = 0 ] && ! apt-cache show "$package" >/dev/null 2>&1; then
        "${sudo_cmd[@]}" apt-get update -qq >/dev/null
        updated=1
    fi
    if ! "${sudo_cmd[@]}" apt-get install -y -qq "$package" >/dev/null || ! command -v "$command" >/dev/null 2>&1; then
        echo "install-tools: could not install $package" >&2
        [ "$required" = yes ] && exit 1
    fi
    return 0
}

ensure wast2json wabt yes
ensure wasm-opt binaryen no
