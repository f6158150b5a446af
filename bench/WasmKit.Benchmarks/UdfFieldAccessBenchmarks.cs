using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Udf;

namespace WasmKit.Benchmarks;

/// <summary>
/// Reading one integer field of a JSON document: from a guest through the get_field_int64 host function
/// (path bytes read from guest memory, JSON lookup, result written back) vs JsonElement access in C#.
/// The guest call goes straight to the instance's typed export, without the registry or a pool.
/// </summary>
[MemoryDiagnoser]
public class UdfFieldAccessBenchmarks
{
    private const int ReadsPerInvoke = 1000;

    private JsonElement _document;
    private Func<long> _readReviews = null!;

    [GlobalSetup]
    public void Setup()
    {
        _document = UdfBenchmarkSupport.Products()[0];
        var engine = new Engine();
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var store = new Store(engine);
        var context = new DocumentContext();
        context.SetDocument(_document);
        store.Data = context;
        var instance = linker.Instantiate(store, Module.FromBytes(engine, UdfBenchmarkSupport.Wat(UdfBenchmarkSupport.TinyUdfText)));
        _readReviews = instance.GetFunction<long>("read_reviews")!;
        if (_readReviews() != CSharpRead(_document)) throw new InvalidOperationException("The guest read another value than C#.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadsPerInvoke)]
    public long CSharpJsonElement()
    {
        long sum = 0;
        for (int i = 0; i < ReadsPerInvoke; i++) sum += CSharpRead(_document);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public long GuestGetFieldInt64()
    {
        long sum = 0;
        for (int i = 0; i < ReadsPerInvoke; i++) sum += _readReviews();
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long CSharpRead(JsonElement document) =>
        document.TryGetProperty("reviews", out var value) && value.TryGetInt64(out long reviews) ? reviews : -1;
}
