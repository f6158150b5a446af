using System.Text.Json;

namespace WasmKit.BenchGate;

/// <summary>Reads and checks the gate list (bench/gates.json).</summary>
public static class GateFile
{
    /// <summary>Loads the gates from a file.</summary>
    /// <exception cref="GateInputException">The file is missing, not JSON, or a gate is incomplete or duplicated.</exception>
    public static IReadOnlyList<Gate> Load(string path)
    {
        if (!File.Exists(path)) throw new GateInputException($"gate file not found: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses gate-file text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="GateInputException">The text is not JSON, or a gate is incomplete or duplicated.</exception>
    public static IReadOnlyList<Gate> Parse(string json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new GateInputException($"{source}: not valid JSON ({e.Message})"); }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("gates", out var list)
                || list.ValueKind != JsonValueKind.Array)
                throw new GateInputException($"{source}: expected an object with a \"gates\" array");

            var gates = new List<Gate>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                string where = $"{source}: gate #{index++}";
                if (item.ValueKind != JsonValueKind.Object) throw new GateInputException($"{where}: not an object");
                string name = RequiredString(item, "name", where);
                where = $"{source}: gate \"{name}\"";
                string benchmark = RequiredString(item, "benchmark", where);
                string baseline = RequiredString(item, "baseline", where);
                if (!item.TryGetProperty("threshold", out var thresholdElement) || thresholdElement.ValueKind != JsonValueKind.Number
                    || !(thresholdElement.GetDouble() is var threshold && threshold > 0 && double.IsFinite(threshold)))
                    throw new GateInputException($"{where}: \"threshold\" must be a positive number");
                double? reference = item.TryGetProperty("reference", out var referenceElement) && referenceElement.ValueKind == JsonValueKind.Number
                    ? referenceElement.GetDouble()
                    : null;
                if (!names.Add(name)) throw new GateInputException($"{where}: the name is used twice");
                if (string.Equals(benchmark, baseline, StringComparison.Ordinal))
                    throw new GateInputException($"{where}: benchmark and baseline are the same");
                gates.Add(new Gate(name, benchmark, baseline, threshold, reference));
            }
            if (gates.Count == 0) throw new GateInputException($"{source}: no gates");
            return gates;
        }
    }

    /// <summary>
    /// BenchmarkDotNet <c>--filter</c> patterns selecting exactly the benchmarks the gates need
    /// (each gated benchmark and each baseline once, in file order).
    /// </summary>
    public static IReadOnlyList<string> Filters(IEnumerable<Gate> gates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var filters = new List<string>();
        foreach (var gate in gates)
        {
            foreach (string name in (string[])[gate.Baseline, gate.Benchmark])
            {
                // "*." + Class.Method matches the full name Namespace.Class.Method and no other class
                // whose name merely ends the same way (HostCallBenchmarks vs CallBenchmarks).
                if (seen.Add(name)) filters.Add("*." + name);
            }
        }
        return filters;
    }

    private static string RequiredString(JsonElement item, string property, string where)
    {
        if (item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is string text && !string.IsNullOrWhiteSpace(text))
            return text;
        throw new GateInputException($"{where}: \"{property}\" must be a non-empty string");
    }
}
