using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Guest-to-host call overhead: a WebAssembly loop calls the imported typed host function
/// <c>env.add</c> <see cref="CallsPerInvoke"/> times, each result feeding the next call. Baseline: the
/// same loop in C# calling a C# delegate. Goal: at most 3x the delegate, with 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class HostCallBenchmarks
{
    private const int CallsPerInvoke = 1000;

    private readonly Func<int, int, int> _csharpAdd = [MethodImpl(MethodImplOptions.NoInlining)] static (int a, int b) => a + b;
    private Func<int, int, int> _guestChain = null!;
    private int _step = 3;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Store? _wasmtimeStore;
    private Func<int, int, int> _wasmtimeGuestChain = null!;

    [GlobalSetup(Target = nameof(GuestCallsTypedHostFunction))]
    public void Setup()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineFunction("env", "add", [MethodImpl(MethodImplOptions.NoInlining)] static (Caller _, int a, int b) => a + b);
        var instance = linker.Instantiate(new Store(engine), Fixtures.Load(engine, "hostcall.wasm"));
        _guestChain = instance.GetFunction<int, int, int>("chain") ?? throw new InvalidOperationException("hostcall.wasm: no 'chain' export");
        if (_guestChain(10, 4) != 40) throw new InvalidOperationException("chain(10, 4) did not return 40");
    }

    /// <summary>The same hostcall.wasm on the raw Wasmtime API, env.add a typed Func (Wasmtime's fastest host function form).</summary>
    [GlobalSetup(Target = nameof(WasmtimeGuestCallsTypedHostFunction))]
    public void SetupWasmtime()
    {
        _wasmtimeEngine = new Wt.Engine();
        _wasmtimeStore = new Wt.Store(_wasmtimeEngine);
        var linker = new Wt.Linker(_wasmtimeEngine);
        Func<int, int, int> add = [MethodImpl(MethodImplOptions.NoInlining)] static (int a, int b) => a + b;
        linker.DefineFunction("env", "add", add);
        using var module = Wt.Module.FromBytes(_wasmtimeEngine, "hostcall", Fixtures.Read("hostcall.wasm"));
        var instance = linker.Instantiate(_wasmtimeStore, module);
        _wasmtimeGuestChain = instance.GetFunction<int, int, int>("chain") ?? throw new InvalidOperationException("hostcall.wasm: no 'chain' export (Wasmtime)");
        if (_wasmtimeGuestChain(10, 4) != 40) throw new InvalidOperationException("Wasmtime chain(10, 4) did not return 40");
    }

    [GlobalCleanup(Target = nameof(WasmtimeGuestCallsTypedHostFunction))]
    public void CleanupWasmtime()
    {
        _wasmtimeStore?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public int CSharpLoopCallsDelegate()
    {
        var add = _csharpAdd;
        int sum = 0;
        for (int i = 0; i < CallsPerInvoke; i++) sum = add(sum, _step);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public int GuestCallsTypedHostFunction() => _guestChain(CallsPerInvoke, _step);

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public int WasmtimeGuestCallsTypedHostFunction() => _wasmtimeGuestChain(CallsPerInvoke, _step);
}
