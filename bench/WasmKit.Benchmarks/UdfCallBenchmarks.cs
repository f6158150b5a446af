using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Components;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// One UDF call over one document — path_compare(price &lt; 1000) from fixtures/udf/json_filter.wasm — vs the same
/// test in C#. A registry call rents a pooled instance, writes the two string arguments with wasmkit_alloc, runs
/// the guest (which parses the op, reads the field through a host function and compares), records statistics
/// and returns (resets) the instance. The Wasmtime* methods do the same on a <see cref="WasmtimeBackend"/> (issue 11's
/// goal: at most twice the managed engine's TypedHandleIndexed), each in its own process.
/// </summary>
[MemoryDiagnoser]
public class UdfCallBenchmarks
{
    private UdfRegistry _registry = null!;
    private UdfFunction<bool> _typed = null!;
    private JsonElement _document;
    private IndexedDocument _indexed = null!;
    private readonly Dictionary<string, object?> _arguments = new() { ["path"] = "price", ["op"] = "<", ["value"] = 1000.0 };

    private WasmtimeBackend? _wasmtime;

    [GlobalSetup(Targets = [nameof(CSharp), nameof(TypedHandle), nameof(TypedHandleIndexed), nameof(NamedArguments)])]
    public void Setup() => Setup(new UdfRegistry());

    [GlobalSetup(Targets = [nameof(WasmtimeTypedHandle), nameof(WasmtimeTypedHandleIndexed)])]
    public void SetupWasmtime()
    {
        _wasmtime = new WasmtimeBackend();
        Setup(new UdfRegistry(new UdfRegistryOptions { Backend = _wasmtime }));
    }

    private void Setup(UdfRegistry registry)
    {
        _registry = registry;
        _registry.Register(new ComponentLoader(_registry.Backend).LoadFile(UdfBenchmarkSupport.UdfFixture("json_filter.wasm")));
        _typed = _registry.GetFunction<bool>("path_compare", "1.0.0", _arguments);
        _document = UdfBenchmarkSupport.Products()[0];
        _indexed = IndexedDocument.Create(_document);
        if (_typed.Invoke(_document) != CSharpFilter(_document) || _typed.Invoke(_indexed) != CSharpFilter(_document)) throw new InvalidOperationException("UDF and C# disagree.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        _wasmtime?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool CSharp() => CSharpFilter(_document);

    /// <summary>A <see cref="UdfFunction{TResult}"/> handle: arguments bound once.</summary>
    [Benchmark]
    public bool TypedHandle() => _typed.Invoke(_document);

    /// <summary>The typed handle over the document as an <see cref="IndexedDocument"/> (indexed once, outside the measurement).</summary>
    [Benchmark]
    public bool TypedHandleIndexed() => _typed.Invoke(_indexed);

    /// <summary>The typed handle on Wasmtime (reset in place after each evaluation).</summary>
    [Benchmark]
    public bool WasmtimeTypedHandle() => _typed.Invoke(_document);

    /// <summary>The typed handle over the indexed document on Wasmtime.</summary>
    [Benchmark]
    public bool WasmtimeTypedHandleIndexed() => _typed.Invoke(_indexed);

    /// <summary>registry.Call with a dictionary of named arguments: lookup, checks and UTF-8 encoding per call.</summary>
    [Benchmark]
    public bool NamedArguments() => _registry.Call("path_compare", "1.0.0", _document, _arguments).AsBoolean();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool CSharpFilter(JsonElement document) =>
        document.TryGetProperty("price", out var price) && price.ValueKind == JsonValueKind.Number && price.GetDouble() < 1000;
}
