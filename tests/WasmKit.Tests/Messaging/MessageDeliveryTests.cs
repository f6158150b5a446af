using System.Text;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Messaging;

/// <summary>Messages reach their handlers, intact and in order per pair, through guest and host endpoints alike, on every backend.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class MessageDeliveryTests(BackendFixture fixture)
{
    private ComponentLoader _loader = null!;
    private MessageBroker _broker = null!;

    [SetUp]
    public void SetUp()
    {
        _loader = fixture.CreateLoader();
        _broker = new MessageBroker();
    }

    [TearDown]
    public void TearDown() => _broker.Dispose();

    [TestCase("echo")]
    [TestCase("echo_as")]
    public async Task A_message_reaches_the_handler_and_its_echo_comes_back(string component)
    {
        _broker.Register(_loader, component);
        var probe = new Recorder(_broker, "probe");

        Assert.That(probe.Endpoint.Send(component, "hello"u8), Is.EqualTo(MessageStatus.Accepted));
        await _broker.WaitForIdleAsync();

        Assert.That(probe.Received, Has.Count.EqualTo(1));
        Assert.That(probe.Received[0].Sender, Is.EqualTo(component));
        Assert.That(Encoding.UTF8.GetString(probe.Received[0].Payload), Is.EqualTo("hello"));
        var statistics = _broker.Find(component)!.GetStatistics();
        Assert.That((statistics.Sent, statistics.Delivered, statistics.Failed, statistics.QueueDepth), Is.EqualTo((1L, 1L, 0L, 0)));
    }

    [Test]
    public async Task A_thousand_sustained_messages_all_arrive_in_order()
    {
        _broker.Register(_loader, "echo");
        var probe = new Recorder(_broker, "probe");

        for (int i = 0; i < 1000; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        await _broker.WaitForIdleAsync();

        Assert.That(probe.Numbers, Is.EqualTo(Enumerable.Range(0, 1000)));
        Assert.That(_broker.Find("echo")!.GetStatistics().Delivered, Is.EqualTo(1000));
    }

    [Test]
    public async Task Ten_concurrent_senders_lose_nothing_and_keep_their_order()
    {
        _broker.Register(_loader, "echo", new MailboxOptions { Capacity = 64 });
        var senders = Enumerable.Range(0, 10).Select(i => new Recorder(_broker, $"sender{i}")).ToArray();
        const int PerSender = 300;

        await Task.WhenAll(senders.Select(sender => Task.Run(() =>
        {
            for (int i = 0; i < PerSender; i++) sender.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        })));
        await _broker.WaitForIdleAsync();

        foreach (var sender in senders)
            Assert.That(sender.Numbers, Is.EqualTo(Enumerable.Range(0, PerSender)), sender.Endpoint.Name);
        Assert.That(_broker.Find("echo")!.GetStatistics().Delivered, Is.EqualTo(10 * PerSender));
    }

    [TestCase(16)]
    [TestCase(64 * 1024)]
    public async Task Payloads_arrive_intact(int length)
    {
        _broker.Register(_loader, "echo");
        var probe = new Recorder(_broker, "probe");
        var payload = new byte[length];
        new Random(length).NextBytes(payload);

        probe.Endpoint.Send("echo", payload);
        await _broker.WaitForIdleAsync();

        Assert.That(probe.Received.Single().Payload, Is.EqualTo(payload));
    }

    [Test]
    public async Task A_request_gets_the_reply_as_a_task()
    {
        _broker.Register(_loader, "echo");
        _broker.Register(_loader, "echo_as");

        var reply = await _broker.Host.RequestAsync("echo", "ping"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30));
        var replyAs = await _broker.Host.RequestAsync("echo_as", "{\"n\":1}"u8.ToArray(), MessageCodec.JsonId, TimeSpan.FromSeconds(30));

        Assert.That((reply.Sender, Encoding.UTF8.GetString(reply.Payload.Span), reply.Codec), Is.EqualTo(("echo", "ping", MessageCodec.RawId)));
        Assert.That((replyAs.Sender, Encoding.UTF8.GetString(replyAs.Payload.Span), replyAs.Codec), Is.EqualTo(("echo_as", "{\"n\":1}", MessageCodec.JsonId)));
    }

    [Test]
    public async Task A_host_endpoint_replies_to_a_request()
    {
        _broker.RegisterHost("doubler", (in IncomingMessage message) =>
        {
            var doubled = message.Payload.ToArray().Concat(message.Payload.ToArray()).ToArray();
            Assert.That(message.Reply(doubled), Is.EqualTo(MessageStatus.Accepted));
            Assert.That(message.Reply(doubled), Is.EqualTo(MessageStatus.NotARequest), "a second reply");
        });

        var reply = await _broker.Host.RequestAsync("doubler", "ab"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30));

        Assert.That(Encoding.UTF8.GetString(reply.Payload.Span), Is.EqualTo("abab"));
    }

    [TestCase("slow")]
    [TestCase("slow_as")]
    public async Task The_slow_handler_burns_its_fuel_and_then_answers(string component)
    {
        _broker.Register(_loader, component);
        var probe = new Recorder(_broker, "probe");

        probe.Endpoint.Send(component, MessagingFixtures.Numbered(200_000));
        await _broker.WaitForIdleAsync();

        Assert.That(probe.Numbers, Is.EqualTo(new[] { 200_000 }));
    }

    [Test]
    public async Task A_slow_handler_delays_only_its_own_mailbox()
    {
        using var gate = new Gate(_broker);
        _broker.Register(_loader, "echo");
        var probe = new Recorder(_broker, "probe");

        probe.Endpoint.Send("gate", "wait"u8);
        gate.WaitEntered();
        for (int i = 0; i < 50; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        var echoed = _broker.Host.RequestAsync("echo", "last"u8.ToArray(), MessageCodec.RawId, TimeSpan.FromSeconds(30));
        await echoed;
        while (probe.Received.Count < 50) await Task.Delay(1);

        Assert.That(probe.Numbers, Is.EqualTo(Enumerable.Range(0, 50)), "echo delivered while the gate still blocks");
        Assert.That(gate.Endpoint.GetStatistics().Delivered, Is.Zero);
        gate.Open();
        await _broker.WaitForIdleAsync();
        Assert.That(gate.Endpoint.GetStatistics().Delivered, Is.EqualTo(1));
    }

    [TestCase("forwarder")]
    [TestCase("forwarder_as")]
    public async Task The_forwarder_sends_every_message_on(string component)
    {
        _broker.Register(_loader, component);
        var sink = new Recorder(_broker, "sink");

        for (int i = 0; i < 20; i++) _broker.Host.Send(component, MessagingFixtures.Numbered(i));
        await _broker.WaitForIdleAsync();

        Assert.That(sink.Numbers, Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That(sink.Received.Select(r => r.Sender).Distinct(), Is.EqualTo(new[] { component }));
    }

    [Test]
    public async Task A_component_sends_from_an_export_called_by_the_host()
    {
        var echo = _broker.Register(_loader, "echo");
        var probe = new Recorder(_broker, "probe");

        ulong accepted = echo.Invoke("blast", (ulong)probe.Endpoint.Id, 100, 16);
        await _broker.WaitForIdleAsync();

        Assert.That(accepted, Is.EqualTo(100));
        Assert.That(probe.Received.Select(r => r.Payload[0] | r.Payload[1] << 8), Is.EqualTo(Enumerable.Range(0, 100)));
        Assert.That(probe.Received.All(r => r.Sender == "echo" && r.Payload.Length == 16), Is.True);
    }

    [Test]
    public void Without_background_delivery_messages_wait_for_DeliverPending()
    {
        using var broker = new MessageBroker(new MessageBrokerOptions { DeliverInBackground = false });
        broker.Register(_loader, "echo");
        var probe = new Recorder(broker, "probe");

        for (int i = 0; i < 10; i++) probe.Endpoint.Send("echo", MessagingFixtures.Numbered(i));
        Assert.That(probe.Received, Is.Empty);
        Assert.That(broker.Find("echo")!.GetStatistics().QueueDepth, Is.EqualTo(10));

        Assert.That(broker.DeliverPending(), Is.EqualTo(20), "ten to echo, ten back to the probe");
        Assert.That(probe.Numbers, Is.EqualTo(Enumerable.Range(0, 10)));
    }
}
