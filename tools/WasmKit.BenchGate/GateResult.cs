namespace WasmKit.BenchGate;

/// <summary>What one gate measured and decided.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Ratios">Benchmark mean / baseline mean in each report that holds the pair, in report order.</param>
/// <param name="Median">The median of <paramref name="Ratios"/>; null when there is none.</param>
/// <param name="Verdict">Pass, exceeded or missing.</param>
/// <param name="Problem">Why the gate is missing (which benchmark, which report); null otherwise.</param>
public sealed record GateResult(Gate Gate, IReadOnlyList<double> Ratios, double? Median, GateVerdict Verdict, string? Problem)
{
    /// <summary>True when the gate passed.</summary>
    public bool Passed => Verdict == GateVerdict.Pass;
}
