namespace WasmKit.BenchGate;

/// <summary>
/// One gate from bench/gates.json: the ratio <see cref="Benchmark"/> mean / <see cref="Baseline"/> mean,
/// both measured in the same BenchmarkDotNet run, must not exceed <see cref="Threshold"/>.
/// </summary>
/// <param name="Name">Short name shown in the table (unique in the file).</param>
/// <param name="Benchmark">The gated benchmark as <c>Class.Method</c>, e.g. <c>CallBenchmarks.WasmTyped</c>.</param>
/// <param name="Baseline">The benchmark it is divided by, in the same class, e.g. <c>CallBenchmarks.CSharpDelegate</c>.</param>
/// <param name="Threshold">The highest median ratio that passes.</param>
/// <param name="Reference">The ratio measured when the threshold was set, for the reader (not used in the verdict).</param>
public sealed record Gate(string Name, string Benchmark, string Baseline, double Threshold, double? Reference);
