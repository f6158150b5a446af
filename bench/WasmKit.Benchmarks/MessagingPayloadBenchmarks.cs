using BenchmarkDotNet.Attributes;
using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Pooling;

namespace WasmKit.Benchmarks;

/// <summary>
/// End to end (as <see cref="MessagingBenchmarks.EndToEnd"/>) with 16-byte and 64 KB payloads: bytes per second is
/// the payload size divided by the time per message. Payloads up to 64 bytes travel inside the mailbox slot;
/// larger ones in pooled arrays, copied once into the mailbox and once into the receiver's memory.
/// </summary>
[MemoryDiagnoser]
public class MessagingPayloadBenchmarks
{
    private const int Batch = 64;
    private IWasmBackend _backend = null!;
    private MessageBroker _broker = null!;
    private PooledInstance _sender = null!;
    private ExportInvoker _blast = null!;
    private ulong[] _arguments = null!;

    [Params("managed", "wasmtime")]
    public string Backend { get; set; } = "managed";

    [Params(16, 64 * 1024)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _backend = MessagingBenchmarkSupport.CreateBackend(Backend);
        var loader = new ComponentLoader(_backend);
        _broker = new MessageBroker(new MessageBrokerOptions { DeliverInBackground = false, MaximumPayloadBytes = 64 * 1024 });
        var echo = MessagingBenchmarkSupport.Register(_broker, loader, "echo");
        var counter = MessagingBenchmarkSupport.Register(_broker, loader, "counter", new MailboxOptions { Capacity = Batch, MaximumBatch = Batch });
        _blast = echo.Component.BackendModule.GetInvoker("blast")!;
        _sender = echo.Pool.Rent();
        _arguments = [(ulong)counter.Id, Batch, (ulong)PayloadBytes];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _broker.Dispose();
        MessagingBenchmarkSupport.Release(_backend);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long EndToEnd()
    {
        _blast.Invoke(_sender.BackendInstance, _arguments);
        return _broker.DeliverPending();
    }
}
