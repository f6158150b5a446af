using BenchmarkDotNet.Attributes;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Decode + validate + compile to IL: the fixed cost of the smallest module, and the
/// throughput on a large one (fixtures/wasm/large.wasm, ~170 KB, 301 functions). The default engine
/// compiles tiered code (into its one shared dynamic module); the Collectible rows give every module its
/// own collectible assembly, as every compile did before.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    // The cache would turn every compile after the first into a hash lookup; measured separately below.
    // No tiered-code budget: thousands of compiles would exhaust it and fall back to collectible code.
    private readonly Engine _engine = new(new EngineOptions { CacheModules = false, MaxTieredCodeBytes = long.MaxValue });
    private readonly Engine _cachingEngine = new();
    // What every compile did before tiered code (issue 14): one collectible assembly per module.
    private readonly Engine _collectibleEngine = new(new EngineOptions { CacheModules = false, CodeTiering = CodeTiering.Collectible });
    private byte[] _minimal = [];
    private byte[] _large = [];
    private Wt.Engine? _wasmtimeEngine;

    [GlobalSetup]
    public void Setup()
    {
        _minimal = Fixtures.Read("minimal.wasm");
        _large = Fixtures.Read("large.wasm");
    }

    /// <summary>A default Wasmtime engine (Cranelift, no fuel, no epochs, no on-disk cache).</summary>
    [GlobalSetup(Targets = [nameof(WasmtimeCompileMinimal), nameof(WasmtimeCompileLarge)])]
    public void SetupWasmtime()
    {
        Setup();
        _wasmtimeEngine = new Wt.Engine();
    }

    [GlobalCleanup(Targets = [nameof(WasmtimeCompileMinimal), nameof(WasmtimeCompileLarge)])]
    public void CleanupWasmtime() => _wasmtimeEngine?.Dispose();

    [Benchmark]
    public Module CompileMinimal() => Module.FromBytes(_engine, _minimal);

    [Benchmark]
    public Module CompileLarge() => Module.FromBytes(_engine, _large);

    /// <summary>The same with <see cref="CodeTiering.Collectible"/>: an assembly of its own per module.</summary>
    [Benchmark]
    public Module CompileMinimalCollectible() => Module.FromBytes(_collectibleEngine, _minimal);

    [Benchmark]
    public Module CompileLargeCollectible() => Module.FromBytes(_collectibleEngine, _large);

    /// <summary>Wasmtime's Module.FromBytes (parse, validate, compile to machine code), disposed at once.</summary>
    [Benchmark]
    public void WasmtimeCompileMinimal()
    {
        using var module = Wt.Module.FromBytes(_wasmtimeEngine!, "minimal", _minimal);
    }

    [Benchmark]
    public void WasmtimeCompileLarge()
    {
        using var module = Wt.Module.FromBytes(_wasmtimeEngine!, "large", _large);
    }

    /// <summary>The same bytes again with the content-hash cache: SHA-256 and a lookup, no compilation.</summary>
    [Benchmark]
    public Module CachedLarge() => Module.FromBytes(_cachingEngine, _large);
}
