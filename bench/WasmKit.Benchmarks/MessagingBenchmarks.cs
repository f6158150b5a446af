using BenchmarkDotNet.Attributes;
using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Pooling;

namespace WasmKit.Benchmarks;

/// <summary>
/// The cost of one fire-and-forget message and of its parts, per message (issue 13's goal on the managed engine:
/// ≤ 200 ns end to end for payloads ≤ 64 B). EndToEnd: the sender's guest loop (echo's blast) calls send for
/// 1,024 64-byte messages (host call, validation, copy into the counter's mailbox), then the broker delivers them
/// on the same thread to counter's handle_message (one rented instance for the batch). Its parts: HostValidation
/// (the checks alone), Routing (a .NET send through the mailbox to a .NET handler: no guest on either side),
/// GuestCall (handle_message called directly). Wake-up latency across threads is the sample's to report.
/// </summary>
[MemoryDiagnoser]
public class MessagingBenchmarks
{
    private const int Batch = 1024;
    private readonly byte[] _payload = new byte[64];
    private IWasmBackend _backend = null!;
    private MessageBroker _broker = null!;
    private MessagingComponent _counter = null!;
    private HostMessageEndpoint _null = null!;
    private PooledInstance _sender = null!;
    private PooledInstance _receiver = null!;
    private ExportInvoker _blast = null!;
    private ExportInvoker _handleMessage = null!;
    private ulong[] _blastArguments = null!;
    private ulong[] _handleArguments = null!;

    [Params("managed", "wasmtime")]
    public string Backend { get; set; } = "managed";

    [GlobalSetup]
    public void Setup()
    {
        _backend = MessagingBenchmarkSupport.CreateBackend(Backend);
        var loader = new ComponentLoader(_backend);
        _broker = new MessageBroker(new MessageBrokerOptions { DeliverInBackground = false });
        var echo = MessagingBenchmarkSupport.Register(_broker, loader, "echo");
        _counter = MessagingBenchmarkSupport.Register(_broker, loader, "counter", new MailboxOptions { Capacity = Batch, MaximumBatch = Batch });
        _null = _broker.RegisterHost("null", static (in IncomingMessage _) => { }, new MailboxOptions { Capacity = Batch, MaximumBatch = Batch });
        _blast = echo.Component.BackendModule.GetInvoker("blast")!;
        _sender = echo.Pool.Rent();
        _blastArguments = [(ulong)_counter.Id, Batch, 64];
        _handleMessage = _counter.Component.BackendModule.GetInvoker(MessagingAbi.HandleMessageExport)!;
        _receiver = _counter.Pool.Rent();
        int buffer = (int)_counter.Component.BackendModule.GetInvoker(ComponentLoader.AllocExport)!.Invoke(_receiver.BackendInstance, [64]);
        _handleArguments = [0, (ulong)buffer, 64, MessageCodec.RawId];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _broker.Dispose();
        MessagingBenchmarkSupport.Release(_backend);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int HostValidation()
    {
        int accepted = 0;
        for (int i = 0; i < Batch; i++)
            if (_broker.Validate(_broker.Host, _counter.Id, _payload, MessageCodec.RawId, out _) == MessageStatus.Accepted) accepted++;
        return accepted;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Routing()
    {
        for (int i = 0; i < Batch; i++) _broker.Host.TrySend(_null.Id, _payload);
        return _broker.DeliverPending();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong GuestCall()
    {
        ulong result = 0;
        var instance = _receiver.BackendInstance;
        for (int i = 0; i < Batch; i++) result += _handleMessage.Invoke(instance, _handleArguments);
        return result;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long EndToEnd()
    {
        _blast.Invoke(_sender.BackendInstance, _blastArguments);
        return _broker.DeliverPending();
    }
}
