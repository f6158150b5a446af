using System.Text.Json;

namespace WasmKit.BenchGate;

/// <summary>Reads BenchmarkDotNet JSON reports (<c>--exporters json</c> and the other JSON exporters).</summary>
public static class ReportReader
{
    // BenchmarkDotNet's JSON exporters, most complete first; one report per class and folder is read.
    private static readonly string[] ReportSuffixes =
        ["-report-full-compressed.json", "-report-full.json", "-report.json", "-report-brief-compressed.json", "-report-brief.json"];

    /// <summary>
    /// Every report under <paramref name="directory"/> (recursively), one per class and folder: when a run
    /// wrote the same class with several JSON exporters only the most complete file is read, so a launch
    /// is never counted twice. Ordered by path, so launch folders keep their order.
    /// </summary>
    /// <exception cref="GateInputException">The folder does not exist or a report is not readable.</exception>
    public static IReadOnlyList<BenchmarkRun> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new GateInputException($"reports folder not found: {directory}");
        var chosen = new SortedDictionary<string, (int Rank, string Path)>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories))
        {
            string fileName = Path.GetFileName(path);
            int rank = Array.FindIndex(ReportSuffixes, suffix => fileName.EndsWith(suffix, StringComparison.Ordinal));
            if (rank < 0) continue;
            string key = Path.Combine(Path.GetDirectoryName(path) ?? "", fileName[..^ReportSuffixes[rank].Length]);
            if (!chosen.TryGetValue(key, out var current) || rank < current.Rank) chosen[key] = (rank, path);
        }
        return chosen.Values
            .Select(entry => Read(File.ReadAllText(entry.Path), Path.GetRelativePath(directory, entry.Path)))
            .ToList();
    }

    /// <summary>Reads one report's text; <paramref name="label"/> names it in the table and in errors.</summary>
    /// <exception cref="GateInputException">The text is not a BenchmarkDotNet report.</exception>
    public static BenchmarkRun Read(string json, string label)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new GateInputException($"{label}: not valid JSON ({e.Message})"); }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Benchmarks", out var benchmarks)
                || benchmarks.ValueKind != JsonValueKind.Array)
                throw new GateInputException($"{label}: not a BenchmarkDotNet JSON report (no \"Benchmarks\" array)");

            var means = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                string? type = Text(benchmark, "Type");
                string? method = Text(benchmark, "Method");
                if (type is null || method is null) continue;
                string key = type + "." + method;
                if (Text(benchmark, "Parameters") is string parameters && parameters.Length > 0) key += "(" + parameters + ")";
                means[key] = MeanOf(benchmark);
            }
            return new BenchmarkRun(label, means, HostOf(root));
        }
    }

    private static double? MeanOf(JsonElement benchmark)
    {
        if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object) return null;
        if (!statistics.TryGetProperty("Mean", out var mean) || mean.ValueKind != JsonValueKind.Number) return null;
        double value = mean.GetDouble();
        return double.IsFinite(value) && value > 0 ? value : null;
    }

    private static string? HostOf(JsonElement root)
    {
        if (!root.TryGetProperty("HostEnvironmentInfo", out var host) || host.ValueKind != JsonValueKind.Object) return null;
        string[] parts = new[] { Text(host, "ProcessorName"), Text(host, "Architecture"), Text(host, "RuntimeVersion") }
            .Where(part => !string.IsNullOrWhiteSpace(part))
            .Select(part => part!.Trim())
            .ToArray();
        return parts.Length == 0 ? null : string.Join(", ", parts);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
