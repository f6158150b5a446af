#!/usr/bin/env bash
# Benchmark gates (issue 14; BENCHMARKING.md, "CI gates"): runs the benchmarks named in bench/gates.json with a
# short BenchmarkDotNet job, several launches (a fresh set of processes each), writes the JSON reports to
# artifacts/bench-gate/launch-N/, then lets tools/WasmKit.BenchGate compute each ratio against its baseline in
# the same run, take the median over launches and compare it with the gate's threshold. Prints a Markdown table
# and a verdict (also to $GITHUB_STEP_SUMMARY when set). Exit code 0 when every launch ran and every gate passed.
#
# Environment:
#   BENCH_GATE_LAUNCHES  number of launches (default 3)
#   BENCH_GATE_JOB       BenchmarkDotNet job (default short: 3 warm-up + 3 measured iterations)
#   BENCH_GATE_FILTER    space-separated --filter patterns instead of those derived from gates.json
#                        (gates whose benchmarks are filtered out then report "missing")
#   BENCH_GATE_GATES     gate file (default bench/gates.json)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

launches="${BENCH_GATE_LAUNCHES:-3}"
job="${BENCH_GATE_JOB:-short}"
gates="${BENCH_GATE_GATES:-bench/gates.json}"
out="$root/artifacts/bench-gate"
gate_tool="$root/tools/WasmKit.BenchGate/bin/Release/net10.0/WasmKit.BenchGate.dll"

if ! [[ "$launches" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-gate: BENCH_GATE_LAUNCHES must be a positive integer (got '$launches')" >&2
    exit 2
fi

started=$SECONDS
# The UDF benchmarks compile WebAssembly text with wabt's wat2wasm.
bash scripts/install-tools.sh || echo "bench-gate: tool installation failed; benchmarks that need wat2wasm will fail" >&2
echo "bench-gate: building bench/ and the gate tool (Release)"
dotnet build -c Release bench/WasmKit.Benchmarks -nologo -v quiet || { echo "bench-gate: bench build failed" >&2; exit 2; }
dotnet build -c Release tools/WasmKit.BenchGate -nologo -v quiet || { echo "bench-gate: gate tool build failed" >&2; exit 2; }

if [ -n "${BENCH_GATE_FILTER:-}" ]; then
    read -r -a filters <<< "$BENCH_GATE_FILTER"
else
    mapfile -t filters < <(dotnet "$gate_tool" --gates "$gates" --print-filters) || true
fi
if [ "${#filters[@]}" -eq 0 ]; then
    echo "bench-gate: no benchmark filters (is $gates readable?)" >&2
    exit 2
fi

# Reports of an earlier run would be counted as launches of this one.
rm -rf "$out"
mkdir -p "$out"

failed_launches=0
for launch in $(seq 1 "$launches"); do
    launch_dir="$out/launch-$launch"
    log="$out/launch-$launch.log"
    echo "bench-gate: launch $launch of $launches (--job $job, ${#filters[@]} benchmarks; log: ${log#"$root"/})"
    # BenchmarkDotNet builds its generated runner against bench/WasmKit.Benchmarks: run from there.
    (cd bench/WasmKit.Benchmarks && dotnet run -c Release --no-build -- \
        --filter "${filters[@]}" --job "$job" --exporters json --artifacts "$launch_dir") > "$log" 2>&1
    status=$?
    if [ "$status" -ne 0 ]; then
        failed_launches=$((failed_launches + 1))
        echo "bench-gate: launch $launch exited with $status (BenchmarkDotNet reported failures); last lines of its log:" >&2
        tail -n 30 "$log" >&2
    fi
done

dotnet "$gate_tool" --gates "$gates" --reports "$out"
gate_status=$?

elapsed=$((SECONDS - started))
echo "bench-gate: $launches launch(es) in ${elapsed}s; reports in ${out#"$root"/}/"
if [ "$failed_launches" -ne 0 ]; then
    echo "bench-gate: FAIL - $failed_launches launch(es) had benchmark failures" >&2
    exit 1
fi
exit "$gate_status"
