#!/usr/bin/env bash
# The test command: installs tools, builds and tests the solution in Release, then prints
# the spec suite summary and, as the last line, "N passed, N failed, N skipped" over all test projects.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="artifacts/test-results"
summary="artifacts/spectest-summary.json"
wasmtime_summary="artifacts/spectest-summary-wasmtime.json"

solution="WasmKit.sln"

bash scripts/install-tools.sh || echo "test.sh: tool installation failed; the spec tests will say what is missing" >&2

# Old results would be counted again.
rm -rf "$results" "$summary" "$wasmtime_summary"
mkdir -p "$results"

dotnet test "$solution" -c Release \
    --logger "trx;LogFilePrefix=results" \
    --results-directory "$results"
status=$?

python3 - "$results" "$summary" "$wasmtime_summary" <<'PY'
import glob, json, os, sys
import xml.etree.ElementTree as ET

results, summary, wasmtime_summary = sys.argv[1], sys.argv[2], sys.argv[3]
passed = failed = skipped = 0
for path in sorted(glob.glob(os.path.join(results, "**", "*.trx"), recursive=True)):
    counters = next(ET.parse(path).getroot().iter("{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}Counters"), None)
    if counters is None:
        continue
    c = {k: int(v) for k, v in counters.attrib.items() if v.isdigit()}
    file_passed = c.get("passed", 0)
    file_failed = c.get("failed", 0) + c.get("error", 0) + c.get("timeout", 0) + c.get("aborted", 0)
    passed += file_passed
    failed += file_failed
    # Ignored and inconclusive tests: counted in total, neither passed nor failed.
    skipped += max(0, c.get("total", 0) - file_passed - file_failed)

if os.path.exists(summary):
    with open(summary) as f:
        s = json.load(f)
    width = max([len(f["file"]) for f in s["files"]] + [30]) + 2
    print(f"{'spec script':<{width}}{'passed':>8}{'failed':>8}{'skipped':>8}")
    for f in s["files"]:
        print(f"{f['file']:<{width}}{f['passed']:>8}{f['failed']:>8}{f['skipped']:>8}")
    print(f"spectest: {s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped")
    # The same scripts through Wasmtime: a cross-check of the harness (tests/WasmKit.SpecTests/README.md).
    if os.path.exists(wasmtime_summary):
        with open(wasmtime_summary) as f:
            w = json.load(f)
        def part(simd):
            files = [f for f in w["files"] if f["file"].startswith("simd_") == simd]
            passed = sum(f["passed"] for f in files)
            return f"{passed} of {passed + sum(f['failed'] for f in files)}"
        print(f"spectest (wasmtime): passed {w['passed']} of {w['passed'] + w['failed']} binary assertions "
              f"(non-SIMD {part(False)}, SIMD {part(True)}), {w['failed']} failed, {w['skipped']} skipped")
    else:
        print("spectest (wasmtime): NOT RUN - the Wasmtime cross-check wrote no summary")
else:
    # Loud on purpose: a green run without the suite has not tested WebAssembly conformance at all.
    print("spectest: NOT RUN - the spec suite was not found, WebAssembly conformance was NOT tested "
          "(see tests/WasmKit.SpecTests/README.md; in CI with CI=true this fails the spec tests)")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

exit $status
