using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Backends;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Reading one integer field ("reviews", the 7th property) of a JSON document from a guest: a WebAssembly loop calls
/// get_field_int64 <see cref="ReadsPerInvoke"/> times (path bytes read from guest memory, lookup, result written
/// back to guest memory), on the document as a JsonElement and as an <see cref="IndexedDocument"/>. Baselines: the same
/// reads in C#, through JsonElement.TryGetProperty and through the IndexedDocument. WasmtimeGuestIndexedDocument
/// runs the same guest on a <see cref="WasmtimeBackend"/> through the backend seam (issue 11's goal: at most 40 ns).
/// </summary>
[MemoryDiagnoser]
public class UdfFieldAccessBenchmarks
{
    private const int ReadsPerInvoke = 1000;

    private JsonElement _document;
    private IndexedDocument _indexed = null!;
    private DocumentContext _context = null!;
    private Func<int, long> _sumReviews = null!;
    private WasmtimeBackend? _wasmtime;
    private IBackendInstance? _wasmtimeInstance;
    private ExportInvoker? _wasmtimeSumReviews;

    // Each benchmark runs in its own process: its setup chooses the document form the guest reads.
    [GlobalSetup(Targets = [nameof(CSharpJsonElement), nameof(CSharpIndexedDocument), nameof(GuestJsonElement)])]
    public void SetupJsonElement()
    {
        Setup();
        _context.SetDocument(_document);
    }

    [GlobalSetup(Target = nameof(GuestIndexedDocument))]
    public void SetupIndexedDocument()
    {
        Setup();
        _context.SetDocument(_indexed);
    }

    [GlobalSetup(Target = nameof(WasmtimeGuestIndexedDocument))]
    public void SetupWasmtime()
    {
        Setup();
        _context.SetDocument(_indexed);
        _wasmtime = new WasmtimeBackend();
        var module = _wasmtime.Compile(UdfBenchmarkSupport.Wat(UdfBenchmarkSupport.TinyUdfText), "tiny");
        _wasmtimeInstance = module.Instantiate(new BackendInstanceOptions
        {
            Imports = new BackendImports { HostFunctions = DocumentHostFunctions.Definitions },
            CreateHostState = _ => _context,
        });
        _wasmtimeSumReviews = module.GetInvoker("sum_reviews")!;
        if ((long)_wasmtimeSumReviews.Invoke(_wasmtimeInstance, [3]) != 3 * CSharpRead(_document))
            throw new InvalidOperationException("Wasmtime's guest read another value than C#.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wasmtimeInstance?.Dispose();
        _wasmtime?.Dispose();
    }

    private void Setup()
    {
        _document = UdfBenchmarkSupport.Products()[0];
        _indexed = IndexedDocument.Create(_document);
        var engine = new Engine();
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var store = new Store(engine);
        _context = new DocumentContext();
        store.Data = _context;
        var instance = linker.Instantiate(store, Module.FromBytes(engine, UdfBenchmarkSupport.Wat(UdfBenchmarkSupport.TinyUdfText)));
        _sumReviews = instance.GetFunction<int, long>("sum_reviews")!;
        _context.SetDocument(_document);
        long fromJson = _sumReviews(3);
        _context.SetDocument(_indexed);
        if (fromJson != 3 * CSharpRead(_document) || _sumReviews(3) != fromJson)
            throw new InvalidOperationException("The guest read another value than C#.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadsPerInvoke)]
    public long CSharpJsonElement()
    {
        long sum = 0;
        for (int i = 0; i < ReadsPerInvoke; i++) sum += CSharpRead(_document);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public long CSharpIndexedDocument()
    {
        long sum = 0;
        for (int i = 0; i < ReadsPerInvoke; i++) sum += CSharpRead(_indexed);
        return sum;
    }

    /// <summary>get_field_int64 from the guest on the JsonElement (FieldPath walks the property list).</summary>
    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public long GuestJsonElement() => _sumReviews(ReadsPerInvoke);

    /// <summary>get_field_int64 from the guest on the IndexedDocument (one hash lookup).</summary>
    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public long GuestIndexedDocument() => _sumReviews(ReadsPerInvoke);

    /// <summary>get_field_int64 from the guest on the IndexedDocument, on Wasmtime.</summary>
    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public ulong WasmtimeGuestIndexedDocument() => _wasmtimeSumReviews!.Invoke(_wasmtimeInstance!, [ReadsPerInvoke]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long CSharpRead(JsonElement document) =>
        document.TryGetProperty("reviews", out var value) && value.TryGetInt64(out long reviews) ? reviews : -1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long CSharpRead(IndexedDocument document) =>
        document.TryGetInt64("reviews"u8, out long reviews) == DocumentStatus.Ok ? reviews : -1;
}
