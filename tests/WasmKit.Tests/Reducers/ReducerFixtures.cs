using System.Buffers;
using WasmKit.Backends;
using WasmKit.Reducers;
using WasmKit.Samples.Ledger;

namespace WasmKit.Tests.Reducers;

/// <summary>Finds fixtures/reducers, compiles the bank ledger, and runs command streams through reducers and the C# twin.</summary>
internal static class ReducerFixtures
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return Path.Combine(dir.FullName, "fixtures", "reducers");
            }
            throw new DirectoryNotFoundException("fixtures/reducers not found above the test directory.");
        }
    }

    public static byte[] BankLedgerWasm() => File.ReadAllBytes(Path.Combine(Directory, "bank_ledger.wasm"));

    public static ReducerModule BankLedger(IWasmBackend backend, ReducerOptions? options = null) =>
        ReducerModule.Compile(backend, BankLedgerWasm(), options, "bank_ledger");

    public static byte[] Commands(ReadOnlySpan<LedgerCommand> commands, ReducerFormat format = ReducerFormat.Binary)
    {
        var output = new ArrayBufferWriter<byte>();
        LedgerCodec.EncodeCommands(commands, format, output);
        return output.WrittenSpan.ToArray();
    }

    public static List<LedgerEffect> Effects(ReadOnlySpan<byte> bytes, ReducerFormat format = ReducerFormat.Binary)
    {
        var effects = new List<LedgerEffect>();
        LedgerCodec.DecodeEffects(bytes, format, effects);
        return effects;
    }

    public static byte[] State(params (uint Id, long Balance)[] accounts) =>
        LedgerCodec.EncodeState(accounts, accounts.Length, ReducerFormat.Binary);

    /// <summary>Applies the commands in batches to the state kept in the reducer; returns every effect.</summary>
    public static List<LedgerEffect> Replay(Reducer reducer, LedgerCommand[] commands, int batchSize, long transferFee)
    {
        byte[] data = LedgerCodec.EncodeData(transferFee, reducer.Format);
        var effects = new List<LedgerEffect>();
        foreach (var batch in commands.Chunk(batchSize))
            LedgerCodec.DecodeEffects(reducer.ApplyToLoadedState(Commands(batch, reducer.Format), data), reducer.Format, effects);
        return effects;
    }
}
