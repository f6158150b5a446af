using BenchmarkDotNet.Attributes;

namespace WasmKit.Benchmarks;

/// <summary>
/// Host-to-wasm call overhead on add(i32, i32) -> i32, relative to calling an ordinary C#
/// delegate that does the same addition. Goal: the typed call within 3x of the delegate.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    // Fields, not constants, so the JIT cannot fold the additions away.
    private int _a = 2;
    private int _b = 40;
    private readonly object?[] _boxedArguments = [2, 40];
    private readonly object?[] _results = new object?[1];

    private readonly Func<int, int, int> _csharpAdd = static (a, b) => a + b;
    private Func<int, int, int> _wasmAdd = null!;
    private Function _untypedAdd = null!;

    [GlobalSetup(Targets = [nameof(WasmTyped), nameof(WasmUntyped), nameof(WasmUntypedSpans)])]
    public void SetupWasm()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Fixtures.Load(engine, "add.wasm"));
        _wasmAdd = instance.GetFunction<int, int, int>("add") ?? throw new InvalidOperationException("add.wasm: no 'add' export");
        _untypedAdd = instance.GetFunction("add") ?? throw new InvalidOperationException("add.wasm: no 'add' export");
        if (_wasmAdd(_a, _b) != 42 || (int)_untypedAdd.Invoke(_boxedArguments)! != 42)
            throw new InvalidOperationException("add(2, 40) did not return 42");
    }

    [Benchmark(Baseline = true)]
    public int CSharpDelegate() => _csharpAdd(_a, _b);

    [Benchmark]
    public int WasmTyped() => _wasmAdd(_a, _b);

    /// <summary>Function.Invoke(params object?[]): boxes the result and allocates a result array.</summary>
    [Benchmark]
    public object? WasmUntyped() => _untypedAdd.Invoke(_boxedArguments);

    /// <summary>Function.Invoke(ReadOnlySpan, Span) with caller-owned argument and result buffers.</summary>
    [Benchmark]
    public object? WasmUntypedSpans()
    {
        _untypedAdd.Invoke(_boxedArguments, _results);
        return _results[0];
    }
}
