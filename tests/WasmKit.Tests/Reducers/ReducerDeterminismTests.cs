using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>
/// Replaying a command log reproduces the state bit for bit: 10,000 commands on two fresh reducers of this
/// engine, compared byte for byte with each other and with the C# reducer (which every engine's run is
/// compared with, so the engines agree with each other too).
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerDeterminismTests(BackendFixture fixture)
{
    private const int CommandCount = 10_000;
    private const long TransferFee = 3;

    [TestCase(ReducerFormat.Binary)]
    [TestCase(ReducerFormat.Json)]
    public void ReplayingTenThousandCommandsGivesTheSameStateOnTwoFreshInstancesAndInCSharp(ReducerFormat format)
    {
        var world = LedgerWorkload.CreateWorld(100, seed: 7);
        var commands = LedgerWorkload.CreateCommands(CommandCount, world, seed: 42);
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend());

        var ledger = new BankLedger(world);
        var expectedEffects = new List<LedgerEffect>();
        foreach (var batch in commands.Chunk(100))
        {
            // Effects carry their index within the batch, as the guest's do.
            ledger.Apply(batch, TransferFee, expectedEffects);
        }
        byte[] expectedState = LedgerCodec.EncodeState(ledger, format);

        var states = new List<byte[]>();
        for (int run = 0; run < 2; run++)
        {
            using var reducer = module.CreateReducer(format);
            reducer.LoadState(LedgerCodec.EncodeState(world, world.Length, format));
            var effects = ReducerFixtures.Replay(reducer, commands, batchSize: 100, TransferFee);
            Assert.That(effects, Is.EqualTo(expectedEffects), $"run {run}: the effects differ from the C# reducer's");
            states.Add(reducer.Snapshot());
        }
        Assert.That(states[1], Is.EqualTo(states[0]), "two fresh instances disagree");
        Assert.That(states[0], Is.EqualTo(expectedState), "the guest's state differs from the C# reducer's");
    }

    [Test]
    public void CommandsWrittenStraightIntoGuestMemoryGiveTheSameEffectsAndStateAsEncodedOnes()
    {
        var world = LedgerWorkload.CreateWorld(50, seed: 3);
        var commands = LedgerWorkload.CreateCommands(2_000, world, seed: 5);
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend());
        byte[] data = LedgerCodec.EncodeData(TransferFee, ReducerFormat.Binary);
        using var encoded = module.CreateReducer();
        using var inPlace = module.CreateReducer();
        encoded.LoadState(LedgerCodec.EncodeState(world, world.Length, ReducerFormat.Binary));
        inPlace.LoadState(LedgerCodec.EncodeState(world, world.Length, ReducerFormat.Binary));

        var expected = ReducerFixtures.Replay(encoded, commands, batchSize: 100, TransferFee);
        var effects = new List<LedgerEffect>();
        foreach (var batch in commands.Chunk(100))
        {
            var written = inPlace.ApplyToLoadedState(LedgerCodec.BinaryCommandsLength(batch.Length), new ReadOnlySpan<LedgerCommand>(batch), LedgerCodec.WriteBinaryCommands, data);
            LedgerCodec.DecodeEffects(written, ReducerFormat.Binary, effects);
        }
        Assert.That(effects, Is.EqualTo(expected));
        Assert.That(inPlace.Snapshot(), Is.EqualTo(encoded.Snapshot()));
    }

    [Test]
    public void PassingTheStateInAndOutGivesTheSameBytesAsKeepingItInTheGuest()
    {
        var world = LedgerWorkload.CreateWorld(50, seed: 3);
        var commands = LedgerWorkload.CreateCommands(2_000, world, seed: 9);
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend());
        using var kept = module.CreateReducer();
        using var passed = module.CreateReducer();
        byte[] state = LedgerCodec.EncodeState(world, world.Length, ReducerFormat.Binary);
        kept.LoadState(state);
        foreach (var batch in commands.Chunk(100))
        {
            byte[] batchBytes = ReducerFixtures.Commands(batch);
            byte[] keptEffects = kept.ApplyToLoadedState(batchBytes).ToArray();
            var output = passed.Apply(state, batchBytes);
            Assert.That(output.Effects.ToArray(), Is.EqualTo(keptEffects));
            state = output.State.ToArray();
        }
        Assert.That(kept.Snapshot(), Is.EqualTo(state));
    }
}
