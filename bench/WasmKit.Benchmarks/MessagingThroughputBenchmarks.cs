using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Messaging;

namespace WasmKit.Benchmarks;

/// <summary>
/// Sustained throughput with background delivery (issue 13's goal: ≥ 2,000,000 msg/s on 2 cores, managed engine):
/// 1, 10 or 100 .NET senders send 64-byte messages to the counter component, whose mailbox is drained on the
/// thread pool; the time per message is the time until all are delivered, divided by their number. Request
/// is the latency of a .NET request to echo (reply included) while one sender keeps the counter busy: the
/// latency distribution under load (P50 and P95 columns).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class MessagingThroughputBenchmarks
{
    private const int Messages = 20_000;
    private readonly byte[] _payload = new byte[64];
    private IWasmBackend _backend = null!;
    private MessageBroker _broker = null!;
    private MessagingComponent _counter = null!;
    private HostMessageEndpoint[] _senders = null!;
    private Thread? _load;
    private volatile bool _stopLoad;

    [Params("managed", "wasmtime")]
    public string Backend { get; set; } = "managed";

    [Params(1, 10, 100)]
    public int Senders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _backend = MessagingBenchmarkSupport.CreateBackend(Backend);
        var loader = new ComponentLoader(_backend);
        _broker = new MessageBroker();
        _counter = MessagingBenchmarkSupport.Register(_broker, loader, "counter", new MailboxOptions { Capacity = 16 * 1024, MaximumBatch = 1024 });
        MessagingBenchmarkSupport.Register(_broker, loader, "echo");
        _senders = Enumerable.Range(0, Senders).Select(i => _broker.RegisterHost($"sender{i}", static (in IncomingMessage _) => { })).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        StopLoad();
        _broker.Dispose();
        MessagingBenchmarkSupport.Release(_backend);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long Throughput()
    {
        long target = _counter.Delivered + Messages;
        int perSender = Messages / Senders;
        Parallel.For(0, Senders, new ParallelOptions { MaxDegreeOfParallelism = Senders }, s =>
        {
            var sender = _senders[s];
            for (int i = 0; i < perSender; i++) sender.TrySend(_counter.Id, _payload);
        });
        var spin = new SpinWait();
        while (_counter.Delivered < target) spin.SpinOnce();
        return _counter.Delivered;
    }

    [GlobalSetup(Target = nameof(RequestUnderLoad))]
    public void SetupLoad()
    {
        Setup();
        _stopLoad = false;
        _load = new Thread(() =>
        {
            while (!_stopLoad)
            {
                if (_senders[0].TrySend(_counter.Id, _payload) < 0) Thread.Yield();
            }
        }) { IsBackground = true };
        _load.Start();
    }

    [Benchmark]
    public async Task<int> RequestUnderLoad()
    {
        var reply = await _broker.Host.RequestAsync("echo", _payload, MessageCodec.RawId, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return reply.Payload.Length;
    }

    private void StopLoad()
    {
        _stopLoad = true;
        _load?.Join();
        _load = null;
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
