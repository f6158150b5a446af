#!/usr/bin/env bash
# Installs the tools the tests need (wabt's wast2json). Safe to run repeatedly: it does nothing when they are present.
set -euo pipefail

command -v wasm-opt >/dev/null 2>&1 || { s=""; [ "$(id -u)" -ne 0 ] && s=sudo; { apt-cache show binaryen >/dev/null 2>&1 || $s apt-get update -qq >/dev/null; } && echo "install-tools: installing binaryen (for wasm-opt)" && DEBIAN_FRONTEND=noninteractive $s apt-get install -y -qq binaryen >/dev/null; } || echo "install-tools: could not install binaryen (wasm-opt); the fuzz test will be skipped" >&2
if command -v wast2json >/dev/null 2>&1; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-tools: wast2json is missing and apt-get is unavailable; install wabt by hand." >&2
    exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-tools: installing wabt (for wast2json)"
# Refresh the package lists only when the package is not known yet.
if ! apt-cache show wabt >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null
fi
"${sudo_cmd[@]}" apt-get install -y -qq wabt >/dev/null

command -v wast2json >/dev/null 2>&1 || { echo "install-tools: wabt installed but wast2json is still missing" >&2; exit 1; }
