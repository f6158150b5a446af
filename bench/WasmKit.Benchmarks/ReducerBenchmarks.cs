using System.Buffers;
using BenchmarkDotNet.Attributes;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// One batch of 100 bank-ledger commands (samples/Reducer) over worlds of 10, 100 and 500 accounts: the C#
/// reducer (baseline) against fixtures/reducers/bank_ledger.wasm on the managed engine and on Wasmtime, in the
/// binary and the JSON layout, with the state kept in guest memory or passed in and out every batch.
/// Every WebAssembly figure includes the boundary: encoding the commands, copying in (the binary kept lanes encode
/// straight into guest memory), decoding the effects into the same structs the C# reducer produces (and,
/// re-serialized, copying the state back out).
/// </summary>
[MemoryDiagnoser]
// Guest code reaches its optimized tier only after a while (as C# does); more warm-up than the modest default.
[WarmupCount(10)]
public class ReducerBenchmarks
{
    private const int BatchSize = 100;
    private const int BatchCount = 64;
    private const long TransferFee = 3;
    private const int Managed = 0;
    private const int Wasmtime = 1;

    private readonly ArrayBufferWriter<byte> _commands = new();
    private readonly List<LedgerEffect> _effects = new(BatchSize);
    // Lanes by engine * 2 + format: an index, not a lookup by name, so a batch pays no hashing the C# lane does not.
    private readonly ReducerLane[] _kept = new ReducerLane[4];
    private readonly ReducerLane[] _reserialized = new ReducerLane[4];
    private WasmtimeBackend _wasmtime = null!;
    private LedgerCommand[][] _batches = null!;
    private BankLedger _ledger = null!;
    private int _next;

    /// <summary>How many accounts the world has.</summary>
    [Params(10, 100, 500)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var world = LedgerWorkload.CreateWorld(Accounts, seed: (ulong)Accounts);
        _batches = [.. LedgerWorkload.CreateCommands(BatchCount * BatchSize, world, seed: 7).Chunk(BatchSize)];
        _ledger = new BankLedger(world);
        _wasmtime = new WasmtimeBackend();
        byte[] wasm = File.ReadAllBytes(Path.Combine(Fixtures.Root, "reducers", "bank_ledger.wasm"));
        // Reducers keep their state and are never reset: the managed engine runs without reset tracking.
        var managed = ManagedBackend.For(new Engine(new EngineOptions { ConsumeFuel = true, Interruptible = true }));
        foreach (var (engine, backend) in new (int, IWasmBackend)[] { (Managed, managed), (Wasmtime, _wasmtime) })
        {
            var module = ReducerModule.Compile(backend, wasm, name: "bank_ledger");
            foreach (var format in new[] { ReducerFormat.Binary, ReducerFormat.Json })
            {
                byte[] state = LedgerCodec.EncodeState(world, world.Length, format);
                var kept = new ReducerLane(module.CreateReducer(format), state, LedgerCodec.EncodeData(TransferFee, format));
                kept.Reducer.LoadState(state);
                _kept[Lane(engine, format)] = kept;
                _reserialized[Lane(engine, format)] = new ReducerLane(module.CreateReducer(format), state, kept.Data);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var lane in _kept.Concat(_reserialized)) lane.Reducer.Dispose();
        _wasmtime.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int CSharp()
    {
        _effects.Clear();
        _ledger.Apply(NextBatch(), TransferFee, _effects);
        return _effects.Count;
    }

    [Benchmark]
    public int ManagedBinaryKept() => Kept(Managed, ReducerFormat.Binary);

    [Benchmark]
    public int WasmtimeBinaryKept() => Kept(Wasmtime, ReducerFormat.Binary);

    [Benchmark]
    public int ManagedJsonKept() => Kept(Managed, ReducerFormat.Json);

    [Benchmark]
    public int WasmtimeJsonKept() => Kept(Wasmtime, ReducerFormat.Json);

    [Benchmark]
    public int ManagedBinaryReserialized() => Reserialized(Managed, ReducerFormat.Binary);

    [Benchmark]
    public int WasmtimeBinaryReserialized() => Reserialized(Wasmtime, ReducerFormat.Binary);

    [Benchmark]
    public int ManagedJsonReserialized() => Reserialized(Managed, ReducerFormat.Json);

    [Benchmark]
    public int WasmtimeJsonReserialized() => Reserialized(Wasmtime, ReducerFormat.Json);

    private static int Lane(int engine, ReducerFormat format) => engine * 2 + (int)format;

    private LedgerCommand[] NextBatch() => _batches[_next++ % BatchCount];

    // The state stays in guest memory: commands in (binary ones encoded straight into guest memory), effects out.
    private int Kept(int engine, ReducerFormat format)
    {
        var lane = _kept[Lane(engine, format)];
        _effects.Clear();
        if (format == ReducerFormat.Binary)
        {
            var batch = NextBatch();
            var effects = lane.Reducer.ApplyToLoadedState(LedgerCodec.BinaryCommandsLength(batch.Length), new ReadOnlySpan<LedgerCommand>(batch), LedgerCodec.WriteBinaryCommands, lane.Data);
            LedgerCodec.DecodeEffects(effects, format, _effects);
            return _effects.Count;
        }
        _commands.ResetWrittenCount();
        LedgerCodec.EncodeCommands(NextBatch(), format, _commands);
        LedgerCodec.DecodeEffects(lane.Reducer.ApplyToLoadedState(_commands.WrittenSpan, lane.Data), format, _effects);
        return _effects.Count;
    }

    // The host owns the state: it goes in and comes back serialized every batch.
    private int Reserialized(int engine, ReducerFormat format)
    {
        var lane = _reserialized[Lane(engine, format)];
        _commands.ResetWrittenCount();
        LedgerCodec.EncodeCommands(NextBatch(), format, _commands);
        var output = lane.Reducer.Apply(lane.State.WrittenSpan, _commands.WrittenSpan, lane.Data);
        _effects.Clear();
        LedgerCodec.DecodeEffects(output.Effects, format, _effects);
        lane.Next.ResetWrittenCount();
        lane.Next.Write(output.State);
        lane.Swap();
        return _effects.Count;
    }

    /// <summary>One reducer with its loaded data and, when the host owns the state, the state's two buffers.</summary>
    private sealed class ReducerLane
    {
        public ReducerLane(Reducer reducer, byte[] state, byte[] data)
        {
            Reducer = reducer;
            Data = data;
            State.Write(state);
        }

        public Reducer Reducer { get; }

        public byte[] Data { get; }

        public ArrayBufferWriter<byte> State { get; private set; } = new();

        public ArrayBufferWriter<byte> Next { get; private set; } = new();

        public void Swap() => (State, Next) = (Next, State);
    }
}
