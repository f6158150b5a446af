// Messaging: components exchanging messages through WasmKit's MessageBroker, then measured.
// Run from the repository root: dotnet run -c Release --project samples/Messaging [-- --engine managed|wasmtime|both]
//
//   1. an exchange: the host asks echo (C) and echo_as (AssemblyScript) for replies, the forwarder passes
//      messages on to a .NET sink, a rejecting handler and a trapping one fail only their own messages;
//   2. end to end on one thread: echo's blast() sends 64-byte messages to counter, then the broker delivers
//      them (sender's host call + validation + routing + receiver's guest call, per message);
//   3. throughput with background delivery and 1 or 10 sending threads, with latency under that load;
//   4. wake-up latency: one message at a time to an idle receiver on another thread;
//   5. 64 KB payloads, in bytes per second.
using System.Diagnostics;
using System.Text;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Wasmtime;

string fixtures = Path.Combine(FindRepositoryRoot(), "fixtures", "messaging");
string engineChoice = args.SkipWhile(a => a != "--engine").Skip(1).FirstOrDefault() ?? "both";
string[] engines = engineChoice switch
{
    "both" => ["managed", "wasmtime"],
    "managed" or "wasmtime" => [engineChoice],
    _ => throw new ArgumentException($"--engine {engineChoice}: expected managed, wasmtime or both."),
};

var rows = new List<string[]>();
foreach (string engine in engines)
{
    using var wasmtime = engine == "wasmtime" ? new WasmtimeBackend() : null;
    IWasmBackend backend = wasmtime ?? (IWasmBackend)ManagedBackend.Create();
    var loader = new ComponentLoader(backend);
    Console.WriteLine($"== {engine}");
    await Exchange(loader);
    rows.Add(EndToEnd(loader, engine, payloadBytes: 64, rounds: 400));
    rows.Add(await Throughput(loader, engine, senders: 1));
    rows.Add(await Throughput(loader, engine, senders: 10));
    rows.Add(await WakeUp(loader, engine));
    rows.Add(EndToEnd(loader, engine, payloadBytes: 64 * 1024, rounds: 20));
}

Console.WriteLine();
Console.WriteLine("Measured on this machine (numbers move with load; see BENCHMARKING.md for the BenchmarkDotNet suite).");
Console.WriteLine("ns/msg: per message, the median round for \"end to end\"; p50/p95/p99: send to handler start (wake-up: to an idle receiver).");
PrintTable(["engine", "scenario", "messages", "msg/s", "ns/msg", "MB/s", "p50", "p95", "p99"], rows);
return 0;

// 1. Components exchanging messages, with the outcome of each printed.
async Task Exchange(ComponentLoader loader)
{
    using var broker = new MessageBroker(new MessageBrokerOptions
    {
        DeliveryFailed = failure => Console.WriteLine($"  reported: {failure.Target} lost a message from {failure.Sender}: {failure.Status} {failure.HandlerCode}"),
    });
    foreach (var name in new[] { "echo", "echo_as", "forwarder", "rejecting" })
        broker.Register(loader.LoadFile(Path.Combine(fixtures, name + ".wasm")));
    var sink = broker.RegisterHost("sink", (in IncomingMessage m) =>
        Console.WriteLine($"  sink got \"{Encoding.UTF8.GetString(m.Payload)}\" from {m.Sender}"));

    foreach (var echo in new[] { "echo", "echo_as" })
    {
        var reply = await broker.Host.RequestAsync(echo, "{\"hello\":\"world\"}"u8.ToArray(), MessageCodec.JsonId, TimeSpan.FromSeconds(5));
        Console.WriteLine($"  {echo} replied \"{Encoding.UTF8.GetString(reply.Payload.Span)}\"");
    }
    broker.Host.Send("forwarder", "passed on by the forwarder"u8);
    try
    {
        await broker.Host.RequestAsync("rejecting", "x"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(5));
    }
    catch (MessagingException error)
    {
        Console.WriteLine($"  rejecting: {error.Status}, code {error.HandlerCode}");
    }
    broker.Host.Send("echo", "trap"u8);
    Console.WriteLine($"  an unknown codec: {broker.Host.TrySend("echo", "x"u8, 99)}; an undeclared target: {broker.Host.TrySend("nobody", "x"u8)}");
    await broker.WaitForIdleAsync();
}

// 2. and 5. One thread: the sender's guest loop sends a batch, then the broker delivers it. Each round is timed;
// the table shows the median round (a busy machine inflates the mean, not the median) and the total throughput.
string[] EndToEnd(ComponentLoader loader, string engine, int payloadBytes, int rounds)
{
    const int Batch = 1024;
    using var broker = new MessageBroker(new MessageBrokerOptions { DeliverInBackground = false, MaximumPayloadBytes = 64 * 1024 });
    var sender = broker.Register(loader.LoadFile(Path.Combine(fixtures, "echo.wasm")));
    // The mailbox holds a whole batch, bytes included: with nobody delivering until DeliverPending, a send that
    // had to wait for room would only time out.
    var counter = broker.Register(loader.LoadFile(Path.Combine(fixtures, "counter.wasm")),
        new MailboxOptions { Capacity = Batch, MaximumBatch = Batch, MaximumQueuedBytes = (long)Batch * payloadBytes });
    var blast = sender.Component.BackendModule.GetInvoker("blast")!;
    using var lease = sender.Pool.Rent();
    ulong[] arguments = [(ulong)counter.Id, Batch, (ulong)payloadBytes];
    long Round()
    {
        long start = Stopwatch.GetTimestamp();
        if (blast.Invoke(lease.BackendInstance, arguments) != Batch) throw new InvalidOperationException("the counter's mailbox refused messages");
        broker.DeliverPending();
        return Stopwatch.GetTimestamp() - start;
    }
    for (int i = 0; i < Math.Max(3, rounds / 10); i++) Round();
    var times = Enumerable.Range(0, rounds).Select(_ => Round()).Order().ToArray();
    long messages = (long)rounds * Batch;
    var total = TimeSpan.FromSeconds(times.Sum() / (double)Stopwatch.Frequency);
    var row = Row(engine, $"end to end, 1 thread, {Size(payloadBytes)}", messages, total, payloadBytes, null);
    row[4] = (times[times.Length / 2] * 1e9 / Stopwatch.Frequency / Batch).ToString("N0");
    return row;
}

// 3. Background delivery on the thread pool, senders on threads of their own.
async Task<string[]> Throughput(ComponentLoader loader, string engine, int senders)
{
    const int Chunk = 1024;
    int chunksPerSender = 400 / senders;
    using var broker = new MessageBroker(new MessageBrokerOptions { LatencySampleInterval = 64 });
    var sender = broker.Register(loader.LoadFile(Path.Combine(fixtures, "echo.wasm")),
        new MailboxOptions { Pool = new() { MaximumInstances = senders, PrewarmCount = senders } });
    var counter = broker.Register(loader.LoadFile(Path.Combine(fixtures, "counter.wasm")), new MailboxOptions { Capacity = 16 * 1024, MaximumBatch = 1024 });
    var blast = sender.Component.BackendModule.GetInvoker("blast")!;
    void Send(int chunks)
    {
        using var lease = sender.Pool.Rent();
        ulong[] arguments = [(ulong)counter.Id, Chunk, 64];
        for (int c = 0; c < chunks; c++) blast.Invoke(lease.BackendInstance, arguments);
    }
    Send(20);
    await broker.WaitForIdleAsync();
    long before = counter.GetStatistics().Delivered;
    long start = Stopwatch.GetTimestamp();
    var threads = Enumerable.Range(0, senders).Select(_ => new Thread(() => Send(chunksPerSender))).ToArray();
    foreach (var thread in threads) thread.Start();
    foreach (var thread in threads) thread.Join();
    await broker.WaitForIdleAsync();
    var elapsed = Stopwatch.GetElapsedTime(start);
    var statistics = counter.GetStatistics();
    return Row(engine, $"background, {senders} sender thread{(senders == 1 ? "" : "s")}, 64 B", statistics.Delivered - before, elapsed, 64, statistics);
}

// 4. Wake-up: an idle receiver's delivery loop woken for each message.
async Task<string[]> WakeUp(ComponentLoader loader, string engine)
{
    const int Messages = 2000;
    using var broker = new MessageBroker(new MessageBrokerOptions { LatencySampleInterval = 1 });
    var counter = broker.Register(loader.LoadFile(Path.Combine(fixtures, "counter.wasm")));
    var payload = new byte[64];
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < Messages; i++)
    {
        broker.Host.Send("counter", payload);
        while (counter.Delivered <= i) Thread.SpinWait(20);
    }
    var elapsed = Stopwatch.GetElapsedTime(start);
    await broker.WaitForIdleAsync();
    return Row(engine, "wake-up, 1 message at a time", Messages, elapsed, 64, counter.GetStatistics());
}

static string[] Row(string engine, string scenario, long messages, TimeSpan elapsed, int payloadBytes, MessageEndpointStatistics? latency)
{
    double seconds = elapsed.TotalSeconds;
    return
    [
        engine, scenario, messages.ToString("N0"),
        (messages / seconds).ToString("N0"),
        (seconds * 1e9 / messages).ToString("N0"),
        (messages * (double)payloadBytes / seconds / 1e6).ToString("N0"),
        Micro(latency?.LatencyP50), Micro(latency?.LatencyP95), Micro(latency?.LatencyP99),
    ];
}

static string Micro(TimeSpan? value) => value is { } v ? $"{v.TotalMicroseconds:N1} µs" : "-";

static string Size(int bytes) => bytes >= 1024 ? $"{bytes / 1024} KB" : $"{bytes} B";

static void PrintTable(string[] header, List<string[]> rows)
{
    var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
    string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
    Console.WriteLine(Line(header));
    Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
    foreach (var row in rows) Console.WriteLine(Line(row));
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return dir.FullName;
    }
    throw new DirectoryNotFoundException("WasmKit.sln not found above " + AppContext.BaseDirectory + "; run the sample from inside the repository.");
}
