using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmKit.SpecTests;

/// <summary>
/// The committed minimum of passed assertions per script. A script below its minimum fails its test case;
/// WASMKIT_UPDATE_SPEC_BASELINE=1 rewrites the file from the run's results instead.
/// </summary>
internal sealed class SpecBaseline
{
    public const string FileName = "spectest-baseline.json";
    public const string UpdateVariable = "WASMKIT_UPDATE_SPEC_BASELINE";
    public const string SimdNote = "expected to fail until SIMD lands";

    private const string Comment =
        "Minimum passed assertions per core spec script; a script below its minimum fails its test case. " +
        "Regenerate from a full run with WASMKIT_UPDATE_SPEC_BASELINE=1 (see scripts/update-spec-baseline.sh).";

    private static readonly Lazy<SpecBaseline> LazyCurrent = new(() => Load(SpecSuiteLocator.BaselineSourcePath));

    private readonly SortedDictionary<string, Entry> _entries;

    private SpecBaseline(SortedDictionary<string, Entry> entries) => _entries = entries;

    public static SpecBaseline Current => LazyCurrent.Value;

    public static bool IsUpdating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    public IEnumerable<string> Files => _entries.Keys;

    /// <summary>The minimum for a script; scripts the file does not list have none.</summary>
    public int MinimumPassed(string file) => _entries.TryGetValue(file, out var entry) ? entry.MinPassed : 0;

    public static SpecBaseline Load(string path)
    {
        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new SpecBaseline(entries);
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        if (root["files"] is JsonObject files)
        {
            foreach (var (file, node) in files)
            {
                entries[file] = new Entry(node?["minPassed"]?.GetValue<int>() ?? 0, node?["note"]?.GetValue<string>());
            }
        }
        return new SpecBaseline(entries);
    }

    /// <summary>Writes the baseline with the given passed counts; scripts that did not run keep their minimum.</summary>
    public static void Write(string path, SpecBaseline previous, IEnumerable<(string File, int Passed)> results)
    {
        var entries = new SortedDictionary<string, Entry>(previous._entries, StringComparer.Ordinal);
        foreach (var (file, passed) in results) entries[file] = new Entry(passed, null);
        var files = new JsonObject();
        foreach (var (file, entry) in entries)
        {
            var node = new JsonObject { ["minPassed"] = entry.MinPassed };
            if (file.StartsWith("simd_", StringComparison.Ordinal)) node["note"] = SimdNote;
            files[file] = node;
        }
        var root = new JsonObject { ["comment"] = Comment, ["files"] = files };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private sealed record Entry(int MinPassed, string? Note);
}
