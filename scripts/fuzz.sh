#!/usr/bin/env bash
# Differential fuzzing of WasmKit against binaryen's interpreter (tools/WasmKit.Fuzz/README.md).
#
#   scripts/fuzz.sh N [START_SEED] [OUT_DIR]
#
# Runs seeds START_SEED..START_SEED+N-1 (default start 1, out dir artifacts/fuzz): for each, random
# bytes -> wasm-opt -ttf -> run in binaryen (--fuzz-exec-before) and WasmKit -> compare. Non-matching
# seeds keep their files in OUT_DIR/seed-N/. Prints the counts and writes OUT_DIR/summary.json.
# Exits 0 when there is no WasmKit crash, hang or unexplained mismatch, 1 otherwise.
# Results accumulate in OUT_DIR/results.jsonl (a re-run seed counts once); delete OUT_DIR to start over.
# Environment: FUZZ_TIMEOUT (seconds per module in WasmKit, default 30), FUZZ_NO_BUILD=1 to skip the build,
# FUZZ_ORACLE=wasmtime to compare WasmKit with Wasmtime instead of binaryen's interpreter (binaryen still generates).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:?usage: scripts/fuzz.sh N [START_SEED] [OUT_DIR]}"
start="${2:-1}"
out="${3:-$root/artifacts/fuzz}"
timeout="${FUZZ_TIMEOUT:-30}"
oracle="${FUZZ_ORACLE:-binaryen}"

if ! command -v wasm-opt >/dev/null 2>&1; then
    bash "$root/scripts/install-tools.sh"
fi
command -v wasm-opt >/dev/null 2>&1 || { echo "fuzz.sh: wasm-opt (binaryen) is missing" >&2; exit 2; }

project="$root/tools/WasmKit.Fuzz"
tool="$project/bin/Release/net10.0/WasmKit.Fuzz.dll"
if [ "${FUZZ_NO_BUILD:-0}" != "1" ]; then
    dotnet build "$project" -c Release --nologo -v quiet >/dev/null \
        || { echo "fuzz.sh: building WasmKit.Fuzz failed" >&2; dotnet build "$project" -c Release --nologo -v quiet >&2; exit 2; }
fi

mkdir -p "$out"
progress="$out/progress"
end=$((start + count))
next="$start"
# One process runs many seeds; when it dies (a crash the runtime cannot catch) or stops after a hang,
# record the seed it was on and carry on with the next one.
while [ "$next" -lt "$end" ]; do
    rm -f "$progress"
    set +e
    dotnet "$tool" campaign --out "$out" --start "$next" --seeds $((end - next)) --timeout "$timeout" --oracle "$oracle"
    status=$?
    set -e
    if [ "$status" -eq 0 ]; then
        break
    fi
    if [ ! -f "$progress" ]; then
        echo "fuzz.sh: the campaign failed before running a seed (exit $status)" >&2
        exit 2
    fi
    failed="$(cat "$progress")"
    if [ "$status" -ne 3 ]; then
        echo "seed $failed: crash process exited with status $status"
        dotnet "$tool" record --out "$out" --seed "$failed" --outcome crash --category "process-exit-$status" \
            --detail "the WasmKit.Fuzz process died (exit $status); rerun: dotnet $tool run $out/seed-$failed/module.wasm"
        if [ -d "$out/work" ]; then rm -rf "$out/seed-$failed"; mv "$out/work" "$out/seed-$failed"; fi
    fi
    next=$((failed + 1))
done
rm -rf "$out/work" "$progress"

echo "--- fuzz seeds $start..$((end - 1)) (all results in $out/results.jsonl)"
dotnet "$tool" summarize --out "$out" --json "$out/summary.json"
