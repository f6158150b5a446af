using BenchmarkDotNet.Attributes;

namespace WasmKit.Benchmarks;

/// <summary>Cost of creating an <see cref="Engine"/> (done once per process in real hosts).</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    [Benchmark]
    public Engine NewEngine() => new();
}
