using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>Snapshots move the kept state out of guest memory; restoring one continues exactly where it was taken.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerSnapshotTests(BackendFixture fixture)
{
    [TestCase(ReducerFormat.Binary)]
    [TestCase(ReducerFormat.Json)]
    public void ARestoredSnapshotContinuesAsTheOriginalDoes(ReducerFormat format)
    {
        var world = LedgerWorkload.CreateWorld(20, seed: 1);
        var commands = LedgerWorkload.CreateCommands(1_000, world, seed: 2);
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend());
        using var original = module.CreateReducer(format);
        original.LoadState(LedgerCodec.EncodeState(world, world.Length, format));
        ReducerFixtures.Replay(original, commands[..500], 100, transferFee: 0);

        byte[] snapshot = original.Snapshot();
        var rest = commands[500..];
        var expected = ReducerFixtures.Replay(original, rest, 100, transferFee: 0);

        using var restored = module.CreateReducer(format);
        restored.Restore(snapshot);
        Assert.That(ReducerFixtures.Replay(restored, rest, 100, transferFee: 0), Is.EqualTo(expected));
        Assert.That(restored.Snapshot(), Is.EqualTo(original.Snapshot()));

        // And on the original: back to the snapshot, then the same again.
        original.Restore(snapshot);
        Assert.That(ReducerFixtures.Replay(original, rest, 100, transferFee: 0), Is.EqualTo(expected));
    }

    [Test]
    public void AReducerThatTrappedRefusesCallsUntilASnapshotIsRestored()
    {
        // Fuel enough for a small call but not for a large batch (on either engine's fuel unit): the guest
        // traps midway, and its kept state is gone.
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend(), new ReducerOptions { FuelPerCall = 50_000 });
        using var reducer = module.CreateReducer();
        byte[] state = ReducerFixtures.State((1, 100), (2, 50));
        reducer.LoadState(state);
        byte[] snapshot = reducer.Snapshot();

        var many = Enumerable.Repeat(LedgerCommand.Deposit(1, 1), 50_000).ToArray();
        var trap = Assert.Throws<WasmTrapException>(() => reducer.ApplyToLoadedState(ReducerFixtures.Commands(many)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.OutOfFuel));
        Assert.That(reducer.IsFaulted, Is.True);
        Assert.That(() => reducer.Snapshot(), Throws.TypeOf<ReducerException>().With.Message.Contains("Restore a snapshot"));

        reducer.Restore(snapshot);
        Assert.That(reducer.IsFaulted, Is.False);
        var effects = ReducerFixtures.Effects(reducer.ApplyToLoadedState(ReducerFixtures.Commands([LedgerCommand.Withdraw(2, 20)])));
        Assert.That(effects.Single().Balance, Is.EqualTo(30));
        Assert.That(reducer.Snapshot(), Is.EqualTo(ReducerFixtures.State((1, 100), (2, 30))));
    }
}
