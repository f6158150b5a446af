using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Host-to-wasm call overhead on add(i32, i32) -> i32, relative to calling an ordinary C#
/// delegate that does the same addition. Goal: the typed call within 3x of the delegate.
/// Each benchmark makes <see cref="CallsPerInvoke"/> calls and reports the time per call. The typed
/// calls form a dependency chain (each result feeds the next call), so what is measured is the
/// full latency of a call, which out-of-order execution cannot overlap with the next one.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private const int CallsPerInvoke = 1000;

    // Fields, not constants, so the JIT cannot fold the additions away.
    private int _a = 2;
    private int _b = 40;
    private readonly object?[] _boxedArguments = [2, 40];
    private readonly object?[] _results = new object?[1];

    // NoInlining keeps a real call: otherwise .NET's delegate devirtualization inlines a + b
    // into the loop and the baseline measures ~0 ns.
    private readonly Func<int, int, int> _csharpAdd = [MethodImpl(MethodImplOptions.NoInlining)] static (int a, int b) => a + b;
    private Func<int, int, int> _wasmAdd = null!;
    private Function _untypedAdd = null!;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Store? _wasmtimeStore;
    private Func<int, int, int> _wasmtimeAdd = null!;

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

    /// <summary>The raw Wasmtime API on the same add.wasm: default engine configuration (no fuel, no epochs).</summary>
    [GlobalSetup(Target = nameof(WasmtimeTyped))]
    public void SetupWasmtime()
    {
        _wasmtimeEngine = new Wt.Engine();
        _wasmtimeStore = new Wt.Store(_wasmtimeEngine);
        using var module = Wt.Module.FromBytes(_wasmtimeEngine, "add", Fixtures.Read("add.wasm"));
        var instance = new Wt.Linker(_wasmtimeEngine).Instantiate(_wasmtimeStore, module);
        _wasmtimeAdd = instance.GetFunction<int, int, int>("add") ?? throw new InvalidOperationException("add.wasm: no 'add' export (Wasmtime)");
        if (_wasmtimeAdd(_a, _b) != 42) throw new InvalidOperationException("Wasmtime add(2, 40) did not return 42");
    }

    [GlobalCleanup(Target = nameof(WasmtimeTyped))]
    public void CleanupWasmtime()
    {
        _wasmtimeStore?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public int CSharpDelegate() => CallChain(_csharpAdd);

    /// <summary>The delegate from instance.GetFunction&lt;int, int, int&gt;("add").</summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public int WasmTyped() => CallChain(_wasmAdd);

    /// <summary>Function.Invoke(params object?[]) with pre-boxed arguments; boxes each result.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public object? WasmUntyped()
    {
        object? result = null;
        for (int i = 0; i < CallsPerInvoke; i++)
            result = _untypedAdd.Invoke(_boxedArguments);
        return result;
    }

    /// <summary>Function.Invoke(ReadOnlySpan, Span) with caller-owned argument and result buffers.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public object? WasmUntypedSpans()
    {
        for (int i = 0; i < CallsPerInvoke; i++)
            _untypedAdd.Invoke(_boxedArguments, _results);
        return _results[0];
    }

    /// <summary>Wasmtime's typed delegate from instance.GetFunction&lt;int, int, int&gt;("add").</summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public int WasmtimeTyped() => CallChain(_wasmtimeAdd);

    private int CallChain(Func<int, int, int> add)
    {
        int sum = _a;
        int step = _b;
        for (int i = 0; i < CallsPerInvoke; i++)
            sum = add(sum, step);
        return sum;
    }
}
