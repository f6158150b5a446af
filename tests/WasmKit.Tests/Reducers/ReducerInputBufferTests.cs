using System.Buffers.Binary;
using WasmKit.Reducers;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>The host reuses the guest's input buffer for inputs that fit in it (one crossing fewer per batch), and asks again for larger ones.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerInputBufferTests(BackendFixture fixture)
{
    // reducer_input counts its calls; reducer_apply returns that count as a 4-byte result at 2048.
    private static readonly string CountingReducer = ReducerTestModules.Reducer(
        input: "(global.set $asked (i32.add (global.get $asked) (i32.const 1))) (i32.const 1024)",
        apply: "(i32.store (i32.const 2048) (global.get $asked)) (i64.const 0x0000080000000004)",
        extra: "(global $asked (mut i32) (i32.const 0))");

    [Test]
    public void InputsThatFitReuseTheBufferAndLargerOnesAskAgain()
    {
        using var reducer = ReducerModule.Compile(fixture.CreateBackend(), Wat.ToWasm(CountingReducer), name: "counting").CreateReducer();
        reducer.LoadState(new byte[16]);
        Assert.That(TimesAsked(reducer.ApplyToLoadedState(new byte[8])), Is.EqualTo(1), "8 bytes fit in the 16 asked for");
        Assert.That(TimesAsked(reducer.ApplyToLoadedState(new byte[16])), Is.EqualTo(1));
        Assert.That(TimesAsked(reducer.ApplyToLoadedState(new byte[17])), Is.EqualTo(2), "17 bytes do not");
        Assert.That(TimesAsked(reducer.ApplyToLoadedState(new byte[10], new byte[7])), Is.EqualTo(2), "commands and data together fit in 17");
    }

    [Test]
    public void AFreshInstanceAfterATrapIsAskedAgain()
    {
        string trapsOnEmptyBatch = ReducerTestModules.Reducer(
            input: "(global.set $asked (i32.add (global.get $asked) (i32.const 1))) (i32.const 1024)",
            apply: "(if (i32.eqz (local.get 4)) (then unreachable)) (i32.store (i32.const 2048) (global.get $asked)) (i64.const 0x0000080000000004)",
            extra: "(global $asked (mut i32) (i32.const 0))");
        using var reducer = ReducerModule.Compile(fixture.CreateBackend(), Wat.ToWasm(trapsOnEmptyBatch), name: "trapping").CreateReducer();
        reducer.LoadState(new byte[16]);
        Assert.That(() => reducer.ApplyToLoadedState(default), Throws.TypeOf<WasmTrapException>());
        reducer.Restore(new byte[4]);
        Assert.That(TimesAsked(reducer.ApplyToLoadedState(new byte[4])), Is.EqualTo(1), "the fresh instance's own buffer, asked for by Restore");
    }

    private static int TimesAsked(ReadOnlySpan<byte> effects) => BinaryPrimitives.ReadInt32LittleEndian(effects);
}
