using System.Collections.Concurrent;

namespace WasmKit.SpecTests;

/// <summary>Collects the Wasmtime cross-check's per-script counts; reported by <see cref="SpecSuiteReport"/> next to WasmKit's.</summary>
internal static class WasmtimeSpecSummary
{
    public const string FileName = "spectest-summary-wasmtime.json";

    private static readonly ConcurrentDictionary<string, ScriptResult> Results = new(StringComparer.Ordinal);

    public static void Record(ScriptResult result) => Results[result.File] = result;

    public static IReadOnlyList<ScriptResult> Snapshot() =>
        Results.Values.OrderBy(r => r.File, StringComparer.Ordinal).ToList();

    public static string TotalLine(IReadOnlyList<ScriptResult> results) =>
        SpecSummary.TotalLine(results).Replace("spectest:", "spectest (wasmtime):", StringComparison.Ordinal);
}
