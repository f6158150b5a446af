using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmKit.SpecTests;

/// <summary>
/// The committed expectations per script. Every script must be listed (a script the file does not know fails its
/// case). A non-SIMD script must run without a single failure and pass at least its minimum; a SIMD script (not
/// implemented yet) only has to keep its minimum. WASMKIT_UPDATE_SPEC_BASELINE=1 rewrites the file from the run,
/// and can only raise minimums and add scripts, never lower a minimum.
/// </summary>
internal sealed class SpecBaseline
{
    public const string FileName = "spectest-baseline.json";
    public const string UpdateVariable = "WASMKIT_UPDATE_SPEC_BASELINE";
    public const string SimdNote = "expected to fail until SIMD lands";

    private const string Comment =
        "Minimum passed assertions per core spec script. A non-SIMD script must also have no failure; a script not " +
        "listed here fails. Regenerate from a full run with WASMKIT_UPDATE_SPEC_BASELINE=1 (see " +
        "scripts/update-spec-baseline.sh); an update only raises minimums.";

    /// <summary>The Wasmtime cross-check's baseline: every script, SIMD included, must run without a failure.</summary>
    public const string WasmtimeFileName = "spectest-baseline-wasmtime.json";

    private const string WasmtimeComment =
        "Minimum passed assertions per core spec script when the suite runs through Wasmtime (WasmtimeCoreSpecTests); " +
        "every script, SIMD included, must also have no failure. Regenerate like spectest-baseline.json; an update only raises minimums.";

    private static readonly Lazy<SpecBaseline> LazyCurrent = new(() => Load(SpecSuiteLocator.BaselineSourcePath));
    private static readonly Lazy<SpecBaseline> LazyWasmtime = new(() => Load(SpecSuiteLocator.WasmtimeBaselineSourcePath, simdMayFail: false));

    private readonly SortedDictionary<string, Entry> _entries;
    private readonly bool _simdMayFail;

    private SpecBaseline(SortedDictionary<string, Entry> entries, bool simdMayFail)
    {
        _entries = entries;
        _simdMayFail = simdMayFail;
    }

    public static SpecBaseline Current => LazyCurrent.Value;

    /// <summary>The baseline of the Wasmtime cross-check (WasmtimeCoreSpecTests).</summary>
    public static SpecBaseline Wasmtime => LazyWasmtime.Value;

    public static bool IsUpdating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    public IEnumerable<string> Files => _entries.Keys;

    /// <summary>SIMD scripts may still fail assertions in WasmKit (no SIMD yet); every other one may not, and in Wasmtime none may.</summary>
    public bool MayFail(string file) => _simdMayFail && file.StartsWith("simd_", StringComparison.Ordinal);

    /// <summary>The minimum for a script, or null when the file does not list it.</summary>
    public int? MinimumPassed(string file) => _entries.TryGetValue(file, out var entry) ? entry.MinPassed : null;

    /// <summary>Null when <paramref name="result"/> meets the baseline, else why it does not.</summary>
    public string? Violation(ScriptResult result)
    {
        if (MinimumPassed(result.File) is not int minimum)
        {
            return IsUpdating ? null : $"{result.File} is not in {FileName}: every script must be listed " +
                "(run scripts/update-spec-baseline.sh to add it)";
        }
        if (result.Failed > 0 && !MayFail(result.File))
            return $"{result.Failed} failed: a non-SIMD script must have no failure";
        if (result.Passed < minimum) return $"fewer passed than the baseline minimum {minimum}";
        return null;
    }

    public static SpecBaseline Load(string path, bool simdMayFail = true)
    {
        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new SpecBaseline(entries, simdMayFail);
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        if (root["files"] is JsonObject files)
        {
            foreach (var (file, node) in files)
            {
                entries[file] = new Entry(node?["minPassed"]?.GetValue<int>() ?? 0, node?["note"]?.GetValue<string>());
            }
        }
        return new SpecBaseline(entries, simdMayFail);
    }

    /// <summary>
    /// Writes the baseline with the given passed counts. A minimum only rises (a run that passes fewer keeps the old
    /// minimum, and its case fails); scripts that did not run keep theirs.
    /// </summary>
    public static void Write(string path, SpecBaseline previous, IEnumerable<(string File, int Passed)> results)
    {
        var entries = new SortedDictionary<string, Entry>(previous._entries, StringComparer.Ordinal);
        foreach (var (file, passed) in results)
        {
            int minimum = entries.TryGetValue(file, out var old) ? Math.Max(old.MinPassed, passed) : passed;
            entries[file] = new Entry(minimum, null);
        }
        var files = new JsonObject();
        foreach (var (file, entry) in entries)
        {
            var node = new JsonObject { ["minPassed"] = entry.MinPassed };
            if (previous.MayFail(file)) node["note"] = SimdNote;
            files[file] = node;
        }
        var root = new JsonObject { ["comment"] = previous._simdMayFail ? Comment : WasmtimeComment, ["files"] = files };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private sealed record Entry(int MinPassed, string? Note);
}
