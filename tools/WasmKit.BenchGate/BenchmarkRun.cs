namespace WasmKit.BenchGate;

/// <summary>The benchmarks of one BenchmarkDotNet report file: one class (or a joined set) in one launch.</summary>
/// <param name="Label">Where it came from, relative to the reports folder (shown in messages).</param>
/// <param name="Means">
/// Mean time per operation in nanoseconds by <c>Class.Method</c> (with <c>(Parameters)</c> appended when the
/// benchmark has parameters); null for a benchmark that is in the report but has no statistics (it failed).
/// </param>
/// <param name="Host">Processor, architecture and runtime from the report, when it says.</param>
public sealed record BenchmarkRun(string Label, IReadOnlyDictionary<string, double?> Means, string? Host);
