// PluginTaps: runs the reference plugin-tap workload in a closed loop and prints throughput, latency
// percentiles, rent time, threads and per-plugin statistics. Every result is checked against the C# tap.
using System.Diagnostics;
using System.Text;
using PluginTaps;
using WasmKit;
using WasmKit.Backends;
using WasmKit.Execution;
using WasmKit.PluginFixtures;
using WasmKit.Plugins;
using WasmKit.Wasmtime;

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

IWasmBackend backend = options.Engine == "wasmtime" ? new WasmtimeBackend() : WasmKit.Backends.Managed.ManagedBackend.Create();
long awaitedTimestamp = 0, awaits = 0;
var dbQuery = new HostFunctionDefinition(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
    async (state, arguments, results, cancellationToken) =>
    {
        long id = (long)arguments.Span[0];
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(1 + Random.Shared.Next(10), cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref awaitedTimestamp, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref awaits);
        results.Span[0] = (ulong)ReferenceWorkload.Views(id);
    });
int? threads = options.Threads ?? (options.Async ? 64 : null);
using var executor = threads is int count ? new GuestExecutor(new GuestExecutorOptions { MaxThreads = count }) : null;
using var host = new PluginHost(new PluginHostOptions
{
    Executor = executor,
    Backend = backend,
    DataMode = options.Mode == "handle" ? TapDataMode.Handles : TapDataMode.Serialized,
    HostFunctions = [dbQuery],
    MaximumInstancesPerPlugin = options.Instances ?? threads ?? Environment.ProcessorCount * 2,
    PrewarmInstancesPerPlugin = options.Instances ?? Environment.ProcessorCount * 2,
});

string plugin = options.Tap == "item_view" ? "render" : "slugger";
string manifest = File.ReadAllText(Path.ChangeExtension(ReferenceWorkload.PluginPath(plugin), ".json"));
// "full" serializes the whole item: the same plugin, granted every field.
if (options.Mode == "full") manifest = System.Text.RegularExpressions.Regex.Replace(manifest, "\"read\": \\[[^\\]]*\\]", "\"read\": [\"*\"]");
host.Load(ReferenceWorkload.PluginBytes(plugin), Encoding.UTF8.GetBytes(manifest), plugin);
if (options.Async && options.Tap == "item_view") host.LoadFile(ReferenceWorkload.PluginPath("db_lookup"));

byte[] itemJson = options.PayloadBytes > 0 ? ReferenceWorkload.ItemOfSize(options.PayloadBytes) : ReferenceWorkload.Item();
var reference = TapItem.Parse(itemJson);
byte[] expectedRender = ReferenceWorkload.Render(reference)!;
byte[] expectedSlug = ReferenceWorkload.Slug(reference)!;
string expectedLookup = ReferenceWorkload.Lookup(reference.GetValue("id")!.Value.GetInt64());

string? Check(TapResult result)
{
    if (!result.Succeeded) return result.Failures[0].ToString();
    if (options.Tap == "item_presave")
        return result.Changes is [{ Field: "slug" } change] && change.Value.Span.SequenceEqual(expectedSlug) ? null : "wrong slug";
    if (result.Renders.Count == 0 || !result.Renders[0].Json.Span.SequenceEqual(expectedRender)) return "wrong render element";
    if (options.Async && (result.Renders.Count != 2 || result.Renders[1].JsonText != expectedLookup)) return "wrong db_query render element";
    return null;
}

Console.WriteLine($"PluginTaps: {options.Tap} on {backend.Name}, mode {options.Mode}, item {itemJson.Length} B, " +
    $"concurrency {options.Concurrency}, {options.Duration.TotalSeconds:0} s{(options.Async ? ", async db_query 1-10 ms" : "")}, " +
    $"{host.Options.MaximumInstancesPerPlugin} instances per plugin, " +
    $"{(executor is null ? "guests on the callers' threads" : $"guests on {executor.Options.MaxThreads} execution threads")}, {Environment.ProcessorCount} cores");
// A short warm-up, so the figures are not the JIT's.
await new ClosedLoop(host, options.Tap, itemJson, Check).RunAsync(Math.Min(options.Concurrency, 16), TimeSpan.FromMilliseconds(500));

var loop = new ClosedLoop(host, options.Tap, itemJson, Check);
var elapsed = await loop.RunAsync(options.Concurrency, options.Duration);

double throughput = loop.Completed / elapsed.TotalSeconds;
static double Percentile(List<long> values, double p, double unitsPerMicrosecond)
{
    if (values.Count == 0) return 0;
    values.Sort();
    return values[Math.Min(values.Count - 1, (int)(p * values.Count))] / unitsPerMicrosecond;
}
double perMicrosecond = Stopwatch.Frequency / 1_000_000.0;
Console.WriteLine();
Console.WriteLine($"requests      {loop.Completed:N0} in {elapsed.TotalSeconds:0.00} s, {loop.Wrong} wrong{(loop.FirstError is null ? "" : $" (first: {loop.FirstError})")}");
Console.WriteLine($"throughput    {throughput:N0} taps/s");
Console.WriteLine($"latency       p50 {Percentile(loop.Latencies, 0.50, perMicrosecond):N1} us   p95 {Percentile(loop.Latencies, 0.95, perMicrosecond):N1} us   p99 {Percentile(loop.Latencies, 0.99, perMicrosecond):N1} us");
Console.WriteLine($"              Little's law mean N/throughput = {options.Concurrency / throughput * 1e6:N1} us; fairness goal p95 <= 1.5x that");
Console.WriteLine($"rent          p95 {Percentile(loop.RentTimes, 0.95, TimeSpan.TicksPerMicrosecond):N1} us");
Console.WriteLine($"threads       thread pool peak {loop.PeakThreads}, execution threads peak {executor?.Metrics.PeakThreads ?? 0}, process {Process.GetCurrentProcess().Threads.Count}");
if (options.Async && Interlocked.Read(ref awaits) > 0)
{
    double awaited = Stopwatch.GetElapsedTime(0, Interlocked.Read(ref awaitedTimestamp)).TotalMicroseconds / Interlocked.Read(ref awaits);
    var lookup = host.Plugins.Single(p => p.Name == "db_lookup").Statistics;
    Console.WriteLine($"async         mean await {awaited:N1} us; db_lookup call {lookup.MeanTime.TotalMicroseconds:N1} us: {lookup.MeanTime.TotalMicroseconds - awaited:N1} us beyond the awaited time");
    if (executor is not null)
    {
        double bound = executor.Options.MaxThreads / (awaited / 1e6);
        Console.WriteLine($"              T/D bound at the measured await: {executor.Options.MaxThreads} threads / {awaited / 1000:N2} ms = {bound:N0} taps/s; reached {throughput / bound:P0} (goal >= 80 %)");
    }
}
Console.WriteLine();
Console.WriteLine($"{"plugin",-12} {"calls",10} {"failures",9} {"mean us",9}  pool");
foreach (var loaded in host.Plugins)
    Console.WriteLine($"{loaded.Name,-12} {loaded.Statistics.Calls,10:N0} {loaded.Statistics.Failures,9:N0} {loaded.Statistics.MeanTime.TotalMicroseconds,9:N1}  {loaded.PoolMetrics}");
if (backend is IDisposable disposable) disposable.Dispose();
return loop.Wrong == 0 ? 0 : 1;
