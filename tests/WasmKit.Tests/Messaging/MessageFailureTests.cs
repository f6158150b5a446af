using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Messaging;

/// <summary>Failing handlers, timeouts, full mailboxes and unloading: each loses or refuses only what it must, and says so.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class MessageFailureTests(BackendFixture fixture)
{
    private readonly List<DeliveryFailure> _failures = [];
    private ComponentLoader _loader = null!;

    [SetUp]
    public void SetUp()
    {
        _loader = fixture.CreateLoader();
        lock (_failures) _failures.Clear();
    }

    [Test]
    public async Task A_trapping_handler_loses_that_message_only()
    {
        using var broker = NewBroker();
        broker.Register(_loader, "echo");
        var probe = new Recorder(broker, "probe");

        probe.Endpoint.Send("echo", "a"u8);
        probe.Endpoint.Send("echo", "trap"u8);
        probe.Endpoint.Send("echo", "b"u8);
        await broker.WaitForIdleAsync();

        Assert.That(probe.Received.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "a", "b" }));
        var statistics = broker.Find("echo")!.GetStatistics();
        Assert.That((statistics.Delivered, statistics.Failed), Is.EqualTo((2L, 1L)));
        var failure = Failures.Single();
        Assert.That((failure.Target, failure.Sender, failure.Status), Is.EqualTo(("echo", "probe", MessageStatus.HandlerTrapped)));
        Assert.That(failure.Error, Is.InstanceOf<WasmTrapException>());
    }

    [Test]
    public async Task A_trapping_request_fails_its_task()
    {
        using var broker = NewBroker();
        broker.Register(_loader, "echo");

        var error = Assert.ThrowsAsync<MessagingException>(() => broker.Host.RequestAsync("echo", "trap"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30)))!;
        var after = await broker.Host.RequestAsync("echo", "after"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30));

        Assert.That(error.Status, Is.EqualTo(MessageStatus.HandlerTrapped));
        Assert.That(after.Payload.ToArray(), Is.EqualTo("after"u8.ToArray()));
    }

    [TestCase("rejecting")]
    [TestCase("rejecting_as")]
    public async Task A_rejecting_handler_fails_the_message_with_its_code(string component)
    {
        using var broker = NewBroker();
        broker.Register(_loader, component);

        broker.Host.Send(component, "x"u8);
        var error = Assert.ThrowsAsync<MessagingException>(() => broker.Host.RequestAsync(component, "y"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30)))!;
        await broker.WaitForIdleAsync();

        Assert.That((error.Status, error.HandlerCode), Is.EqualTo((MessageStatus.HandlerFailed, 42)));
        Assert.That(broker.Find(component)!.GetStatistics().Failed, Is.EqualTo(2));
        Assert.That(Failures.Select(f => (f.Status, f.HandlerCode)), Is.EqualTo(new[] { (MessageStatus.HandlerFailed, 42), (MessageStatus.HandlerFailed, 42) }));
    }

    [Test]
    public async Task A_request_timeout_is_delivered_to_a_dotnet_caller()
    {
        using var broker = NewBroker();
        using var gate = new Gate(broker);

        var error = Assert.ThrowsAsync<MessagingException>(() => broker.Host.RequestAsync("gate", "x"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromMilliseconds(20)))!;
        gate.Open();
        await broker.WaitForIdleAsync();

        Assert.That(error.Status, Is.EqualTo(MessageStatus.TimedOut));
        Assert.That(error.Message, Does.Contain("gate"));
    }

    [TestCase("forwarder")]
    [TestCase("forwarder_as")]
    public async Task A_request_timeout_is_delivered_to_a_guest_through_handle_response(string component)
    {
        using var broker = NewBroker();
        using var gate = new Gate(broker);
        var forwarder = broker.Register(_loader, component);
        var sink = new Recorder(broker, "sink");

        long correlation = (long)forwarder.Invoke("ask", (ulong)gate.Endpoint.Id, 20);
        while (sink.Received.Count == 0) await Task.Delay(1);
        gate.Open();
        await broker.WaitForIdleAsync();

        var report = sink.Received.Single().Payload;
        Assert.That(correlation, Is.Positive);
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(report), Is.EqualTo(correlation));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(report.AsSpan(8)), Is.EqualTo((int)MessageStatus.TimedOut));
    }

    [TestCase("forwarder")]
    [TestCase("forwarder_as")]
    public async Task A_guest_request_gets_its_reply_through_handle_response(string component)
    {
        using var broker = NewBroker();
        var forwarder = broker.Register(_loader, component);
        var echo = broker.Register(_loader, "echo");
        var sink = new Recorder(broker, "sink");

        long correlation = (long)forwarder.Invoke("ask", (ulong)echo.Id, 0);
        await broker.WaitForIdleAsync();

        var report = sink.Received.Single().Payload;
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(report), Is.EqualTo(correlation));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(report.AsSpan(8)), Is.EqualTo((int)MessageStatus.Accepted));
        Assert.That(report.AsSpan(12).ToArray(), Is.EqualTo("ping"u8.ToArray()));
    }

    [Test]
    public void A_full_mailbox_drops_the_newest_message_under_DropNewest()
    {
        using var broker = NewBroker(background: false);
        broker.Register(_loader, "echo", new MailboxOptions { Capacity = 2, Backpressure = BackpressurePolicy.DropNewest });

        var statuses = Enumerable.Range(0, 3).Select(i => broker.Host.TrySend("echo", MessagingFixtures.Numbered(i))).ToArray();

        Assert.That(statuses, Is.EqualTo(new[] { MessageStatus.Accepted, MessageStatus.Accepted, MessageStatus.Dropped }));
        var statistics = broker.Find("echo")!.GetStatistics();
        Assert.That((statistics.Sent, statistics.Dropped, statistics.QueueDepth), Is.EqualTo((2L, 1L, 2)));
    }

    [TestCase(BackpressurePolicy.Reject)]
    [TestCase(BackpressurePolicy.Wait)]
    public void A_full_mailbox_refuses_the_sender_under_Reject_and_after_waiting_under_Wait(BackpressurePolicy policy)
    {
        using var broker = NewBroker(background: false);
        broker.Register(_loader, "echo", new MailboxOptions { Capacity = 2, Backpressure = policy, SendWaitTimeout = TimeSpan.FromMilliseconds(5) });

        broker.Host.Send("echo", "1"u8);
        broker.Host.Send("echo", "2"u8);
        var error = Assert.Throws<MessagingException>(() => broker.Host.Send("echo", "3"u8))!;

        Assert.That(error.Status, Is.EqualTo(MessageStatus.MailboxFull));
        Assert.That(broker.Host.GetStatistics().Rejected, Is.EqualTo(1));
        broker.DeliverPending();
        Assert.That(broker.Host.TrySend("echo", "4"u8), Is.EqualTo(MessageStatus.Accepted), "room again once delivered");
    }

    [Test]
    public void The_bytes_of_large_waiting_payloads_are_bounded_too()
    {
        using var broker = NewBroker(background: false);
        broker.Register(_loader, "echo", new MailboxOptions { MaximumQueuedBytes = 1000, Backpressure = BackpressurePolicy.Reject });

        var first = broker.Host.TrySend("echo", new byte[600]);
        var second = broker.Host.TrySend("echo", new byte[600]);
        var small = broker.Host.TrySend("echo", new byte[64]);

        Assert.That((first, second, small), Is.EqualTo((MessageStatus.Accepted, MessageStatus.MailboxFull, MessageStatus.Accepted)));
        broker.DeliverPending();
        Assert.That(broker.Host.TrySend("echo", new byte[2000]), Is.EqualTo(MessageStatus.Accepted), "one payload above the budget into an empty mailbox");
    }

    [Test]
    public async Task Waiting_senders_get_in_as_the_mailbox_drains()
    {
        using var broker = NewBroker();
        using var open = new ManualResetEventSlim(false);
        var probe = new Recorder(broker, "probe");
        // A mailbox of one behind a handler that blocks until opened: the senders must wait for room.
        HostMessageEndpoint? box = null;
        box = broker.RegisterHost("box", (in IncomingMessage m) =>
        {
            open.Wait(TimeSpan.FromSeconds(30));
            box!.Send("probe", m.Payload);
        }, new MailboxOptions { Capacity = 1, SendWaitTimeout = Timeout.InfiniteTimeSpan });

        var sends = Task.Run(() =>
        {
            for (int i = 0; i < 20; i++) probe.Endpoint.Send("box", MessagingFixtures.Numbered(i));
        });
        open.Set();
        await sends;
        await broker.WaitForIdleAsync();

        Assert.That(probe.Numbers, Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That((box.GetStatistics().Dropped, probe.Endpoint.GetStatistics().Rejected), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Unloading_with_Drain_delivers_the_waiting_messages_first()
    {
        using var broker = NewBroker(background: false);
        broker.Register(_loader, "echo");
        var probe = new Recorder(broker, "probe");
        for (int i = 0; i < 5; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        var echo = broker.Find("echo")!;

        await broker.UnregisterAsync("echo", UnloadMode.Drain);
        broker.DeliverPending();

        Assert.That(probe.Numbers, Is.EqualTo(Enumerable.Range(0, 5)));
        Assert.That(echo.GetStatistics().Delivered, Is.EqualTo(5));
        Assert.That(broker.Find("echo"), Is.Null);
        Assert.That(probe.Endpoint.TrySend("echo", "late"u8), Is.EqualTo(MessageStatus.UnknownTarget));
    }

    [Test]
    public async Task Unloading_with_Reject_drops_the_waiting_messages_and_fails_their_requests()
    {
        using var broker = NewBroker(background: false);
        broker.Register(_loader, "echo");
        var probe = new Recorder(broker, "probe");
        for (int i = 0; i < 5; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        var request = broker.Host.RequestAsync("echo", "pending"u8.ToArray(), MessageCodec.RawId, Timeout.InfiniteTimeSpan);
        var echo = broker.Find("echo")!;

        await broker.UnregisterAsync("echo", UnloadMode.Reject);
        broker.DeliverPending();

        Assert.That(probe.Received, Is.Empty);
        Assert.That(echo.GetStatistics().Dropped, Is.EqualTo(6));
        var error = Assert.ThrowsAsync<MessagingException>(() => request)!;
        Assert.That(error.Status, Is.EqualTo(MessageStatus.TargetUnloaded));
    }

    [Test]
    public async Task The_counters_are_published_on_the_WasmKit_meter()
    {
        using var broker = NewBroker();
        broker.Register(_loader, "echo");
        var probe = new Recorder(broker, "probe");
        for (int i = 0; i < 3; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        await broker.WaitForIdleAsync();
        var delivered = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "WasmKit" && instrument.Name == "wasmkit.messaging.delivered") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "wasmkit.endpoint") delivered[(string)tag.Value!] = value;
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.That(delivered.GetValueOrDefault("echo"), Is.EqualTo(3));
        Assert.That(delivered.GetValueOrDefault("probe"), Is.EqualTo(3));
    }

    private IReadOnlyList<DeliveryFailure> Failures
    {
        get
        {
            lock (_failures) return _failures.ToArray();
        }
    }

    private MessageBroker NewBroker(bool background = true) => new(new MessageBrokerOptions
    {
        DeliverInBackground = background,
        DeliveryFailed = failure =>
        {
            lock (_failures) _failures.Add(failure);
        },
    });
}
