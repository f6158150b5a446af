#!/usr/bin/env bash
# Rewrites tests/WasmKit.SpecTests/spectest-baseline.json from the spec tests. Runs the spec tests with
# WASMKIT_UPDATE_SPEC_BASELINE=1, which raises each script's minimum to its passed count (a minimum is
# never lowered) and adds scripts the file does not list yet.
# Extra arguments go to `dotnet test` (e.g. --filter "Name=i32.wast").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-tools.sh
WASMKIT_UPDATE_SPEC_BASELINE=1 dotnet test tests/WasmKit.SpecTests -c Release "$@"
git --no-pager diff --stat -- tests/WasmKit.SpecTests/spectest-baseline.json || true
