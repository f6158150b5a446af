using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>Refused commands are effects like any other (the host decides what to do with them); they change no balance.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerRejectionTests(BackendFixture fixture)
{
    [TestCase(ReducerFormat.Binary)]
    [TestCase(ReducerFormat.Json)]
    public void EachCommandGivesAnAuditRecordOrARejection(ReducerFormat format)
    {
        using var reducer = ReducerFixtures.BankLedger(fixture.CreateBackend()).CreateReducer(format);
        var output = reducer.Apply(
            LedgerCodec.EncodeState([(1, 100), (2, 0)], 2, format),
            ReducerFixtures.Commands(
            [
                LedgerCommand.Deposit(1, 50),
                LedgerCommand.Withdraw(2, 10),
                LedgerCommand.Transfer(1, 2, 148),
                LedgerCommand.Transfer(1, 2, 140),
                LedgerCommand.Deposit(9, 5),
                LedgerCommand.Transfer(1, 9, 1),
                LedgerCommand.Withdraw(1, 0),
            ], format),
            LedgerCodec.EncodeData(transferFee: 5, format));

        Assert.That(ReducerFixtures.Effects(output.Effects, format), Is.EqualTo(new LedgerEffect[]
        {
            new(LedgerEffectKind.Audit, 0, LedgerOp.Deposit, LedgerRejection.None, 1, 0, 50, 150),
            new(LedgerEffectKind.Rejected, 1, LedgerOp.Withdraw, LedgerRejection.InsufficientFunds, 2, 0, 10, 0),
            new(LedgerEffectKind.Rejected, 2, LedgerOp.Transfer, LedgerRejection.InsufficientFunds, 1, 2, 148, 150), // 148 + fee 5 > 150
            new(LedgerEffectKind.Audit, 3, LedgerOp.Transfer, LedgerRejection.None, 1, 2, 140, 5),
            new(LedgerEffectKind.Rejected, 4, LedgerOp.Deposit, LedgerRejection.UnknownAccount, 9, 0, 5, 0),
            new(LedgerEffectKind.Rejected, 5, LedgerOp.Transfer, LedgerRejection.UnknownAccount, 1, 9, 1, 5),
            new(LedgerEffectKind.Rejected, 6, LedgerOp.Withdraw, LedgerRejection.InvalidAmount, 1, 0, 0, 5),
        }));
        Assert.That(LedgerCodec.DecodeState(output.State, format), Is.EqualTo(new (uint, long)[] { (1, 5), (2, 140) }));
    }

    [Test]
    public void AnUnknownCommandIsRejected()
    {
        using var reducer = ReducerFixtures.BankLedger(fixture.CreateBackend()).CreateReducer();
        reducer.LoadState(ReducerFixtures.State((1, 10)));
        var effects = ReducerFixtures.Effects(reducer.ApplyToLoadedState(ReducerFixtures.Commands([new LedgerCommand((LedgerOp)77, 1, 0, 0, 5)])));
        Assert.That(effects.Single(), Is.EqualTo(new LedgerEffect(LedgerEffectKind.Rejected, 0, (LedgerOp)77, LedgerRejection.UnknownCommand, 1, 0, 5, 0)));
        Assert.That(reducer.Snapshot(), Is.EqualTo(ReducerFixtures.State((1, 10))));
    }
}
