using BenchmarkDotNet.Attributes;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// fixtures/wat/leafcalls.wat: a loop making two guest-to-guest calls per step into small leaf functions
/// (a hash step and a memory read), against the same loop in C# with ordinary static methods. The Ratio
/// column reads "wasm time / C# time": what calling a small helper costs in compiled guest code.
/// </summary>
[MemoryDiagnoser]
public class LeafCallBenchmarks
{
    public const int Steps = 100_000;

    // V8's answer for leaf_loop(100000) (node, fixtures/wasm/leafcalls.wasm).
    private const int Expected = 1105003312;

    private readonly byte[] _bytes = new byte[1024];
    private Func<int, int> _leafLoop = null!;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Store? _wasmtimeStore;

    [GlobalSetup(Target = nameof(CSharp))]
    public void SetupCSharp() => Check("C#", CSharp());

    [GlobalSetup(Target = nameof(Wasm))]
    public void SetupWasm()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Fixtures.Load(engine, "leafcalls.wasm"));
        _leafLoop = instance.GetFunction<int, int>("leaf_loop") ?? throw new InvalidOperationException("leafcalls.wasm: no 'leaf_loop' export");
        Check("wasm", Wasm());
    }

    [GlobalSetup(Target = nameof(Wasmtime))]
    public void SetupWasmtime()
    {
        _wasmtimeEngine = new Wt.Engine();
        _wasmtimeStore = new Wt.Store(_wasmtimeEngine);
        using var module = Wt.Module.FromBytes(_wasmtimeEngine, "leafcalls", Fixtures.Read("leafcalls.wasm"));
        var instance = new Wt.Linker(_wasmtimeEngine).Instantiate(_wasmtimeStore, module);
        _leafLoop = instance.GetFunction<int, int>("leaf_loop") ?? throw new InvalidOperationException("leafcalls.wasm: no 'leaf_loop' export (Wasmtime)");
        Check("Wasmtime", Wasmtime());
    }

    [GlobalCleanup(Target = nameof(Wasmtime))]
    public void CleanupWasmtime()
    {
        _wasmtimeStore?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int CSharp()
    {
        for (int i = 0; i < _bytes.Length; i++) _bytes[i] = unchecked((byte)(i * 7));
        int h = 0;
        for (int i = 0; i < Steps; i++) h = Mix(h, ByteAt(i));
        return h;
    }

    [Benchmark]
    public int Wasm() => _leafLoop(Steps);

    [Benchmark]
    public int Wasmtime() => _leafLoop(Steps);

    private static int Mix(int h, int x) => unchecked(h * 31 + x);

    private int ByteAt(int i) => _bytes[i & 1023];

    private static void Check(string what, int actual)
    {
        if (actual != Expected) throw new InvalidOperationException($"leafcalls {what}: expected {Expected}, got {actual}");
    }
}
