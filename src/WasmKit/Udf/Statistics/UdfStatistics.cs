namespace WasmKit.Udf;

/// <summary>A snapshot of one UDF version's calls and durations (each document of a batch counts as one call).</summary>
/// <param name="Name">The UDF name.</param>
/// <param name="Version">The UDF version.</param>
/// <param name="Calls">Evaluations started.</param>
/// <param name="Errors">Evaluations that failed (bad arguments, traps, timeouts, out of fuel).</param>
/// <param name="Mean">The mean duration of an evaluation.</param>
/// <param name="P50">The median duration (from a histogram with about 6% resolution).</param>
/// <param name="P95">The 95th percentile duration.</param>
/// <param name="P99">The 99th percentile duration.</param>
public sealed record UdfStatistics(string Name, string Version, long Calls, long Errors, TimeSpan Mean, TimeSpan P50, TimeSpan P95, TimeSpan P99)
{
    /// <summary>The backend that ran the evaluations (<see cref="Backends.IWasmBackend.Name"/>: "managed", "wasmtime", ...).</summary>
    public string Backend { get; init; } = "";

    /// <summary>Errors divided by calls, 0 when there were no calls.</summary>
    public double ErrorRate => Calls == 0 ? 0 : (double)Errors / Calls;
}
