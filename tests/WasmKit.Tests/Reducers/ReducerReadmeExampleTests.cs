using System.Runtime.InteropServices;
using WasmKit.Reducers;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>The README's "Pure reducers" example, step by step, on fixtures/reducers/counter.wasm.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerReadmeExampleTests(BackendFixture fixture)
{
    [Test]
    public void TheCounterExampleBehavesAsTheReadmeSays()
    {
        byte[] wasm = File.ReadAllBytes(Path.Combine(ReducerFixtures.Directory, "counter.wasm"));
        var module = ReducerModule.Compile(fixture.CreateBackend(), wasm,
            new ReducerOptions { FuelPerCall = 1_000_000, MaximumMemoryPages = 16 }, "counter");
        using var reducer = module.CreateReducer(ReducerFormat.Binary);

        var output = reducer.Apply(state: Int64s(100), commands: Int64s(5, -20, 7));
        Assert.That(Read(output.Effects), Is.EqualTo(new long[] { 105, 85, 92 }));
        Assert.That(Read(output.State), Is.EqualTo(new long[] { 92 }));

        reducer.LoadState(Int64s(0));
        Assert.That(Read(reducer.ApplyToLoadedState(Int64s(1, 2, 3))), Is.EqualTo(new long[] { 1, 3, 6 }));
        byte[] snapshot = reducer.Snapshot();
        reducer.ApplyToLoadedState(Int64s(1000));
        reducer.Restore(snapshot);
        Assert.That(Read(reducer.SaveState()), Is.EqualTo(new long[] { 6 }));

        using var json = module.CreateReducer(ReducerFormat.Json);
        Assert.That(() => json.LoadState("{}"u8), Throws.TypeOf<ReducerException>().With.Message.Contains("unsupported format"));
    }

    private static byte[] Int64s(params long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static long[] Read(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, long>(bytes).ToArray();
}
