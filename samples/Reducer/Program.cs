// Reducer: a bank ledger as a pure reducer, (state, commands, loaded data) -> (state', effects), written in
// AssemblyScript (fixtures/reducers/assemblyscript/bank_ledger.ts) and in C# (Ledger/BankLedger.cs).
// Run from the repository root: dotnet run -c Release --project samples/Reducer
//
//   1. checks that both reducers produce the same states and effects on worlds of 10, 100 and 500
//      accounts: managed engine and Wasmtime, binary and JSON layouts, state kept in guest memory and
//      state re-serialized every batch;
//   2. times a batch of 100 commands in each, plus the same .wasm under node's V8 (bench/node/reducer.mjs),
//      and the boundary's share (encoding commands, decoding effects).
// Timings are medians on whatever else the machine is doing: indicative, not a benchmark.
using System.Buffers;
using System.Globalization;
using WasmKit;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Reducers;
using WasmKit.Samples.Ledger;
using WasmKit.Wasmtime;

const int BatchSize = 100;
const long TransferFee = 3;
int[] worldSizes = [10, 100, 500];
var formats = new[] { ReducerFormat.Binary, ReducerFormat.Json };
bool quick = args.Contains("--quick"); // correctness only, no timing (CI smoke)

string root = FindRepositoryRoot();
byte[] wasm = File.ReadAllBytes(Path.Combine(root, "fixtures", "reducers", "bank_ledger.wasm"));

// A reducer keeps its state and is never reset, so the managed engine runs without reset tracking
// (ManagedBackend.Create() is configured for pooled, resettable instances); fuel stays on for the limit.
using var wasmtime = new WasmtimeBackend();
IWasmBackend[] backends = [ManagedBackend.For(new Engine(new EngineOptions { ConsumeFuel = true, Interruptible = true })), wasmtime];
// Loading checks the imports: a reducer importing a clock, randomness or I/O is refused here.
ReducerModule[] modules = [.. backends.Select(b => ReducerModule.Compile(b, wasm, new ReducerOptions { FuelPerCall = 10_000_000 }, "bank_ledger"))];

// ---------------------------------------------------------------- 1. the same results
Console.WriteLine("Checking that C# and WebAssembly agree (20 batches of 100 commands per world, transfer fee 3)...");
foreach (int size in worldSizes)
{
    var world = LedgerWorkload.CreateWorld(size, seed: (ulong)size);
    var batches = Batches(world, 20, seed: 1000 + (ulong)size);
    foreach (var module in modules)
    foreach (var format in formats)
    {
        var tally = EquivalenceCheck.Run(module, format, world, batches, TransferFee);
        Console.WriteLine($"  {size,3} accounts  {module.BackendModule.Backend.Name,-8} {format,-6}  same states and effects " +
                          $"({tally.Audits} audit records, {tally.Rejections} rejections), state kept and re-serialized");
    }
}
Console.WriteLine();
if (quick) return 0;

// ---------------------------------------------------------------- 2. time per batch
var timer = new BatchTimer();
Console.WriteLine($"Time per batch of {BatchSize} commands (median ns; x = relative to C#). Binary layout, state kept in guest memory:");
Console.WriteLine($"  {"accounts",8}  {"C#",8}  {"managed",16}  {"wasmtime",16}  {"node V8",16}  {"boundary share (managed)",24}");
var others = new List<string>();
foreach (int size in worldSizes)
{
    var world = LedgerWorkload.CreateWorld(size, seed: (ulong)size);
    var batches = Batches(world, 64, seed: 2000 + (ulong)size);

    var ledger = new BankLedger(world);
    var csharpEffects = new List<LedgerEffect>(BatchSize);
    double csharp = timer.NanosecondsPerBatch(i =>
    {
        csharpEffects.Clear();
        ledger.Apply(batches[i % batches.Length], TransferFee, csharpEffects);
    });

    var kept = new Dictionary<(string, ReducerFormat), double>();
    var reserialized = new Dictionary<(string, ReducerFormat), double>();
    foreach (var module in modules)
    foreach (var format in formats)
    {
        string engine = module.BackendModule.Backend.Name;
        kept[(engine, format)] = TimeKept(module, format, world, batches);
        reserialized[(engine, format)] = TimeReserialized(module, format, world, batches);
    }
    double boundary = TimeBoundary(batches);
    var node = NodeAnchor.Run(root, world, batches, TransferFee);

    double managed = kept[("managed", ReducerFormat.Binary)], native = kept[("wasmtime", ReducerFormat.Binary)];
    string v8 = node is null ? "-" : $"{node[ReducerFormat.Binary].NanosecondsPerBatch:F0} ({node[ReducerFormat.Binary].NanosecondsPerBatch / csharp:F2}x)"
                                   + (node[ReducerFormat.Binary].SameState && node[ReducerFormat.Json].SameState ? "" : " STATE DIFFERS");
    Console.WriteLine($"  {size,8}  {csharp,8:F0}  {Cell(managed, csharp),16}  {Cell(native, csharp),16}  {v8,16}  {boundary / managed,24:P0}");

    others.Add($"  {size,8}  {Pair(reserialized, ReducerFormat.Binary),24}  {Pair(kept, ReducerFormat.Json),24}  {Pair(reserialized, ReducerFormat.Json),24}"
               + (node is null ? "" : $"  {node[ReducerFormat.Json].NanosecondsPerBatch,12:F0}"));
}
Console.WriteLine();
Console.WriteLine("Other modes (median ns per batch, managed / wasmtime):");
Console.WriteLine($"  {"accounts",8}  {"binary, re-serialized",24}  {"JSON, kept in guest",24}  {"JSON, re-serialized",24}  {"node V8 JSON",12}");
others.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine("The boundary share is the host-side encoding of the commands and decoding of the effects, over the managed total.");
Console.WriteLine("Goal: binary, state kept in guest memory, within 1.5x of C# including the boundary.");
return 0;

LedgerCommand[][] Batches((uint Id, long Balance)[] world, int count, ulong seed)
{
    var commands = LedgerWorkload.CreateCommands(count * BatchSize, world, seed);
    return [.. commands.Chunk(BatchSize)];
}

// The state lives in guest memory: per batch, encode the commands, apply, decode the effects.
double TimeKept(ReducerModule module, ReducerFormat format, (uint Id, long Balance)[] world, LedgerCommand[][] batches)
{
    using var reducer = module.CreateReducer(format);
    reducer.LoadState(LedgerCodec.EncodeState(new BankLedger(world), format));
    byte[] data = LedgerCodec.EncodeData(TransferFee, format);
    var commands = new ArrayBufferWriter<byte>();
    var effects = new List<LedgerEffect>(BatchSize);
    return timer.NanosecondsPerBatch(i =>
    {
        commands.ResetWrittenCount();
        LedgerCodec.EncodeCommands(batches[i % batches.Length], format, commands);
        effects.Clear();
        LedgerCodec.DecodeEffects(reducer.ApplyToLoadedState(commands.WrittenSpan, data), format, effects);
    });
}

// The host owns the state: per batch, pass it in, get it back serialized and keep a copy.
double TimeReserialized(ReducerModule module, ReducerFormat format, (uint Id, long Balance)[] world, LedgerCommand[][] batches)
{
    using var reducer = module.CreateReducer(format);
    var state = new ArrayBufferWriter<byte>();
    state.Write(LedgerCodec.EncodeState(new BankLedger(world), format));
    var next = new ArrayBufferWriter<byte>();
    byte[] data = LedgerCodec.EncodeData(TransferFee, format);
    var commands = new ArrayBufferWriter<byte>();
    var effects = new List<LedgerEffect>(BatchSize);
    return timer.NanosecondsPerBatch(i =>
    {
        commands.ResetWrittenCount();
        LedgerCodec.EncodeCommands(batches[i % batches.Length], format, commands);
        var output = reducer.Apply(state.WrittenSpan, commands.WrittenSpan, data);
        effects.Clear();
        LedgerCodec.DecodeEffects(output.Effects, format, effects);
        next.ResetWrittenCount();
        next.Write(output.State);
        (state, next) = (next, state);
    });
}

// The boundary alone (binary): encode a batch, copy it as into guest memory, decode a batch's effects.
double TimeBoundary(LedgerCommand[][] batches)
{
    var ledger = new BankLedger(LedgerWorkload.CreateWorld(1, 0));
    var commands = new ArrayBufferWriter<byte>();
    var guest = new byte[64 * 1024];
    var effectBytes = new byte[4 + BatchSize * 40];
    BitConverter.TryWriteBytes(effectBytes, BatchSize);
    var effects = new List<LedgerEffect>(BatchSize);
    return timer.NanosecondsPerBatch(i =>
    {
        commands.ResetWrittenCount();
        LedgerCodec.EncodeCommands(batches[i % batches.Length], ReducerFormat.Binary, commands);
        commands.WrittenSpan.CopyTo(guest);
        effects.Clear();
        LedgerCodec.DecodeEffects(effectBytes, ReducerFormat.Binary, effects);
    });
}

static string Cell(double nanoseconds, double baseline) => $"{nanoseconds:F0} ({nanoseconds / baseline:F2}x)";

static string Pair(Dictionary<(string, ReducerFormat), double> times, ReducerFormat format) =>
    string.Create(CultureInfo.InvariantCulture, $"{times[("managed", format)],8:F0} / {times[("wasmtime", format)],8:F0}");

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "WasmKit.sln"))) return directory.FullName;
    throw new DirectoryNotFoundException("WasmKit.sln not found above the sample's directory; run it from the repository.");
}
