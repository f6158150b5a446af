using System.Buffers;
using WasmKit.Reducers;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// Runs a command stream through the C# ledger and through a WebAssembly reducer in both modes (state kept
/// in guest memory, state re-serialized every batch) and compares every batch's effects and the states.
/// </summary>
public static class EquivalenceCheck
{
    /// <summary>How many effects of each kind one check saw.</summary>
    /// <param name="Audits">Audit records.</param>
    /// <param name="Rejections">Rejections.</param>
    public sealed record Tally(int Audits, int Rejections);

    /// <summary>Compares the reducer with the C# ledger.</summary>
    /// <param name="module">The reducer module.</param>
    /// <param name="format">The layout to use across the boundary.</param>
    /// <param name="world">The starting accounts.</param>
    /// <param name="batches">The batches, in order.</param>
    /// <param name="transferFee">The loaded data.</param>
    /// <returns>The effects seen.</returns>
    /// <exception cref="InvalidOperationException">The two disagree (the message says where).</exception>
    public static Tally Run(ReducerModule module, ReducerFormat format, (uint Id, long Balance)[] world, LedgerCommand[][] batches, long transferFee)
    {
        var ledger = new BankLedger(world);
        using var kept = module.CreateReducer(format);
        using var reserialized = module.CreateReducer(format);
        byte[] data = LedgerCodec.EncodeData(transferFee, format);
        byte[] hostState = LedgerCodec.EncodeState(ledger, format);
        kept.LoadState(hostState);

        var commands = new ArrayBufferWriter<byte>();
        List<LedgerEffect> expected = [], actual = [];
        int audits = 0, rejections = 0;
        for (int b = 0; b < batches.Length; b++)
        {
            expected.Clear();
            ledger.Apply(batches[b], transferFee, expected);
            commands.ResetWrittenCount();
            LedgerCodec.EncodeCommands(batches[b], format, commands);

            actual.Clear();
            LedgerCodec.DecodeEffects(kept.ApplyToLoadedState(commands.WrittenSpan, data), format, actual);
            Require(expected.SequenceEqual(actual), $"batch {b}: the effects differ (state kept in guest, {format}, {module.BackendModule.Backend.Name})");

            var output = reserialized.Apply(hostState, commands.WrittenSpan, data);
            actual.Clear();
            LedgerCodec.DecodeEffects(output.Effects, format, actual);
            Require(expected.SequenceEqual(actual), $"batch {b}: the effects differ (state re-serialized, {format}, {module.BackendModule.Backend.Name})");
            hostState = output.State.ToArray();

            audits += expected.Count(e => e.Kind == LedgerEffectKind.Audit);
            rejections += expected.Count(e => e.Kind == LedgerEffectKind.Rejected);
        }
        byte[] expectedState = LedgerCodec.EncodeState(ledger, format);
        Require(kept.SaveState().SequenceEqual(expectedState), $"the final states differ (state kept in guest, {format}, {module.BackendModule.Backend.Name})");
        Require(hostState.AsSpan().SequenceEqual(expectedState), $"the final states differ (state re-serialized, {format}, {module.BackendModule.Backend.Name})");
        return new Tally(audits, rejections);
    }

    private static void Require(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException($"C# and WebAssembly disagree: {what}.");
    }
}
