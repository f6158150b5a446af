using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmKit.SpecTests;

/// <summary>Collects every script's counts during the run and reports them once at the end.</summary>
internal static class SpecSummary
{
    public const string FileName = "spectest-summary.json";

    private static readonly ConcurrentDictionary<string, ScriptResult> Results = new(StringComparer.Ordinal);

    public static void Record(ScriptResult result) => Results[result.File] = result;

    public static IReadOnlyList<ScriptResult> Snapshot() =>
        Results.Values.OrderBy(r => r.File, StringComparer.Ordinal).ToList();

    public static string TotalLine(IReadOnlyList<ScriptResult> results) =>
        $"spectest: {results.Sum(r => r.Passed)} passed, {results.Sum(r => r.Failed)} failed, {results.Sum(r => r.Skipped)} skipped";

    public static string Table(IReadOnlyList<ScriptResult> results)
    {
        int width = Math.Max(30, results.Select(r => r.File.Length).DefaultIfEmpty(0).Max()) + 2;
        var text = new StringBuilder();
        text.AppendLine($"{"file".PadRight(width)}{"passed",8}{"failed",8}{"skipped",8}");
        foreach (var r in results)
        {
            string mark = r.HarnessError is null ? "" : "  (harness error)";
            text.AppendLine($"{r.File.PadRight(width)}{r.Passed,8}{r.Failed,8}{r.Skipped,8}{mark}");
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyList<ScriptResult> results)
    {
        var files = new JsonArray();
        foreach (var r in results)
            files.Add(new JsonObject { ["file"] = r.File, ["passed"] = r.Passed, ["failed"] = r.Failed, ["skipped"] = r.Skipped });
        var root = new JsonObject
        {
            ["files"] = files,
            ["passed"] = results.Sum(r => r.Passed),
            ["failed"] = results.Sum(r => r.Failed),
            ["skipped"] = results.Sum(r => r.Skipped),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
