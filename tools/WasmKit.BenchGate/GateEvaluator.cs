namespace WasmKit.BenchGate;

/// <summary>Computes each gate's ratios from the reports and decides its verdict.</summary>
public static class GateEvaluator
{
    /// <summary>
    /// For each gate: in every report holding its benchmark or its baseline (one report per class and launch),
    /// the ratio benchmark mean / baseline mean; then the median over those reports against the threshold.
    /// A report holding one of the two without the other, or either without statistics (a failed benchmark),
    /// makes the gate <see cref="GateVerdict.Missing"/>, as does a gate that no report mentions.
    /// </summary>
    public static IReadOnlyList<GateResult> Evaluate(IReadOnlyList<Gate> gates, IReadOnlyList<BenchmarkRun> runs) =>
        gates.Select(gate => EvaluateOne(gate, runs)).ToList();

    private static GateResult EvaluateOne(Gate gate, IReadOnlyList<BenchmarkRun> runs)
    {
        var ratios = new List<double>();
        foreach (var run in runs)
        {
            bool hasBenchmark = run.Means.TryGetValue(gate.Benchmark, out double? benchmarkMean);
            bool hasBaseline = run.Means.TryGetValue(gate.Baseline, out double? baselineMean);
            if (!hasBenchmark && !hasBaseline) continue;
            if (benchmarkMean is not double benchmark)
                return Missing(gate, ratios, $"{gate.Benchmark} {(hasBenchmark ? "has no result (failed)" : "is missing")} in {run.Label}");
            if (baselineMean is not double baseline)
                return Missing(gate, ratios, $"baseline {gate.Baseline} {(hasBaseline ? "has no result (failed)" : "is missing")} in {run.Label}");
            ratios.Add(benchmark / baseline);
        }
        if (ratios.Count == 0)
            return Missing(gate, ratios, $"no report contains {gate.Benchmark} or {gate.Baseline}");

        double median = Median.Of(ratios);
        return new GateResult(gate, ratios, median, median <= gate.Threshold ? GateVerdict.Pass : GateVerdict.Exceeded, null);
    }

    private static GateResult Missing(Gate gate, List<double> ratios, string problem) =>
        new(gate, ratios, null, GateVerdict.Missing, problem);
}
