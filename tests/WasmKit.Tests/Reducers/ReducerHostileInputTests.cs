using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>Hostile inputs and hostile guests give clear errors and leave the host intact.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerHostileInputTests(BackendFixture fixture)
{
    [Test]
    public void AnOversizedStateIsRefusedBeforeTheGuestRuns()
    {
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend(), new ReducerOptions { MaximumInputBytes = 64 * 1024 });
        using var reducer = module.CreateReducer();
        byte[] huge = LedgerCodec.EncodeState(LedgerWorkload.CreateWorld(5_000, seed: 1), 5_000, ReducerFormat.Binary);
        var error = Assert.Throws<ArgumentException>(() => reducer.LoadState(huge))!;
        Assert.That(error.Message, Does.Contain("state 80,004").And.Contain("MaximumInputBytes (65,536)"));
        Assert.That(() => reducer.Apply(huge, ReducerFixtures.Commands([])), Throws.ArgumentException);
        Assert.That(reducer.IsFaulted, Is.False);
    }

    [Test]
    public void AStateBeyondTheMemoryLimitTrapsInTheGuest()
    {
        // Within the input limit, but the accounts table does not fit in 4 pages: the guest's allocator aborts.
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend(), new ReducerOptions { MaximumMemoryPages = 4 });
        using var reducer = module.CreateReducer();
        byte[] big = LedgerCodec.EncodeState(LedgerWorkload.CreateWorld(12_000, seed: 1), 12_000, ReducerFormat.Binary);
        Assert.That(() => reducer.LoadState(big), Throws.TypeOf<WasmTrapException>());
        Assert.That(reducer.IsFaulted, Is.True);
    }

    [TestCase(ReducerFormat.Binary)]
    [TestCase(ReducerFormat.Json)]
    public void MalformedCommandsAreRefusedAndChangeNothing(ReducerFormat format)
    {
        using var reducer = ReducerFixtures.BankLedger(fixture.CreateBackend()).CreateReducer(format);
        reducer.LoadState(LedgerCodec.EncodeState([(1, 10)], 1, format));
        byte[] before = reducer.Snapshot();
        byte[] good = ReducerFixtures.Commands([LedgerCommand.Deposit(1, 5), LedgerCommand.Deposit(1, 5)], format);
        byte[] truncated = good[..^3];
        var error = Assert.Throws<ReducerException>(() => reducer.ApplyToLoadedState(truncated))!;
        Assert.That(error.Message, Does.Contain("refused the input of reducer_apply").And.Contain("malformed"));
        Assert.That(reducer.Snapshot(), Is.EqualTo(before));
        Assert.That(reducer.IsFaulted, Is.False);
    }

    [Test]
    public void MalformedAndDeeplyNestedJsonIsRefused()
    {
        using var reducer = ReducerFixtures.BankLedger(fixture.CreateBackend()).CreateReducer(ReducerFormat.Json);
        reducer.LoadState("""{"accounts":[{"id":1,"balance":10}]}"""u8);
        string nested = "[{\"op\":\"deposit\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"account\":1,\"amount\":1}]";
        Assert.That(() => reducer.ApplyToLoadedState(System.Text.Encoding.UTF8.GetBytes(nested)), Throws.TypeOf<ReducerException>());
        Assert.That(() => reducer.ApplyToLoadedState("""[{"op":"deposit","account":1,"amount":99999999999999999999}]"""u8), Throws.TypeOf<ReducerException>());
        Assert.That(() => reducer.LoadState("""{"accounts":[{"id":1},{"id":1}]}"""u8), Throws.TypeOf<ReducerException>().With.Message.Contains("reducer_load"));
        Assert.That(reducer.IsFaulted, Is.False);
    }

    [Test]
    public void AGuestReturningAnOutOfBoundsResultIsCaught()
    {
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(
            apply: "(i64.const 0x00010000_00000010)",      // 16 bytes at 65536: just past the one page
            save: "(i64.const 0x0000FFF0_7FFFFFFF)"));     // a length far beyond the memory
        using var reducer = ReducerModule.Compile(fixture.CreateBackend(), wasm, name: "liar").CreateReducer();
        Assert.That(() => reducer.ApplyToLoadedState([1, 2, 3]),
            Throws.TypeOf<ReducerException>().With.Message.Contains("'liar' returned an out-of-bounds result from reducer_apply: 16 bytes at address 65536"));
        Assert.That(() => reducer.SaveState().ToArray(),
            Throws.TypeOf<ReducerException>().With.Message.Contains("out-of-bounds result from reducer_save"));
    }

    [Test]
    public void AGuestOfferingAnUnusableInputBufferIsCaught()
    {
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(input: "(i32.const 65530)"));
        using var reducer = ReducerModule.Compile(fixture.CreateBackend(), wasm, name: "cramped").CreateReducer();
        Assert.That(() => reducer.LoadState(new byte[100]),
            Throws.TypeOf<ReducerException>().With.Message.Contains("unusable input buffer from reducer_input(100)"));
    }

    [Test]
    public void AGuestThatNeverReturnsRunsOutOfFuel()
    {
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(apply: "(loop $forever (br $forever)) (i64.const 0)"));
        var module = ReducerModule.Compile(fixture.CreateBackend(), wasm, new ReducerOptions { FuelPerCall = 100_000 });
        using var reducer = module.CreateReducer();
        Assert.That(() => reducer.ApplyToLoadedState([]),
            Throws.TypeOf<WasmTrapException>().With.Property(nameof(WasmTrapException.Code)).EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void AnUnsupportedFormatStatusIsReportedInWords()
    {
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(load: "(i32.const -2)"));
        using var reducer = ReducerModule.Compile(fixture.CreateBackend(), wasm, name: "binary-only").CreateReducer(ReducerFormat.Json);
        Assert.That(() => reducer.LoadState("{}"u8),
            Throws.TypeOf<ReducerException>().With.Message.Contains("unsupported format, status -2, format Json"));
    }
}
