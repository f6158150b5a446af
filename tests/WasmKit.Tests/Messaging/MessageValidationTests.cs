using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Messaging;

/// <summary>What the broker accepts and refuses at send and at registration, on every backend.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class MessageValidationTests(BackendFixture fixture)
{
    private ComponentLoader _loader = null!;
    private MessageBroker _broker = null!;

    [SetUp]
    public void SetUp()
    {
        _loader = fixture.CreateLoader();
        _broker = new MessageBroker(new MessageBrokerOptions
        {
            DeliverInBackground = false,
            MaximumPayloadBytes = 100,
            Codecs = [new EvenLengthCodec()],
        });
    }

    [TearDown]
    public void TearDown() => _broker.Dispose();

    [Test]
    public void A_valid_message_is_accepted()
    {
        _broker.Register(_loader, "echo");

        Assert.That(_broker.Host.TrySend("echo", new byte[100]), Is.EqualTo(MessageStatus.Accepted));
        Assert.That(_broker.Host.TrySend("echo", "[1, {\"a\": null}]"u8, MessageCodec.JsonId), Is.EqualTo(MessageStatus.Accepted));
        Assert.That(_broker.Host.TrySend("echo", "abcd"u8, EvenLengthCodec.Tag), Is.EqualTo(MessageStatus.Accepted));
        Assert.That(_broker.Find("echo")!.GetStatistics().Sent, Is.EqualTo(3));
    }

    [Test]
    public void An_unknown_target_is_refused()
    {
        Assert.That(_broker.Host.TrySend("nobody", "x"u8), Is.EqualTo(MessageStatus.UnknownTarget));
        var error = Assert.Throws<MessagingException>(() => _broker.Host.Send("nobody", "x"u8))!;
        Assert.That(error.Status, Is.EqualTo(MessageStatus.UnknownTarget));
        Assert.That(error.Message, Does.Contain("nobody"));
        Assert.That(_broker.Host.GetStatistics().Rejected, Is.EqualTo(2));
    }

    [Test]
    public void An_oversized_payload_is_refused()
    {
        _broker.Register(_loader, "echo");

        var error = Assert.Throws<MessagingException>(() => _broker.Host.Send("echo", new byte[101]))!;
        Assert.That(error.Status, Is.EqualTo(MessageStatus.PayloadTooLarge));
        Assert.That(error.Message, Does.Contain("101").And.Contain("100"));
        Assert.That(_broker.Find("echo")!.GetStatistics().Sent, Is.Zero);
    }

    [Test]
    public void An_unknown_codec_is_refused()
    {
        _broker.Register(_loader, "echo");

        Assert.That(_broker.Host.TrySend("echo", "x"u8, 7), Is.EqualTo(MessageStatus.UnknownCodec));
        Assert.That(_broker.Host.TrySend("echo", "x"u8, -1), Is.EqualTo(MessageStatus.UnknownCodec));
        Assert.That(_broker.Host.TrySend("echo", "x"u8, 100_000), Is.EqualTo(MessageStatus.UnknownCodec));
    }

    [Test]
    public void A_payload_its_codec_refuses_is_refused()
    {
        _broker.Register(_loader, "echo");

        Assert.That(_broker.Host.TrySend("echo", "{\"a\": "u8, MessageCodec.JsonId), Is.EqualTo(MessageStatus.InvalidPayload));
        Assert.That(_broker.Host.TrySend("echo", "1 2"u8, MessageCodec.JsonId), Is.EqualTo(MessageStatus.InvalidPayload));
        Assert.That(_broker.Host.TrySend("echo", "abc"u8, EvenLengthCodec.Tag), Is.EqualTo(MessageStatus.InvalidPayload));
    }

    [TestCase("forwarder")]
    [TestCase("forwarder_as")]
    public void A_guest_sending_to_an_undeclared_target_is_refused(string component)
    {
        var forwarder = _broker.Register(_loader, component);
        var rejecting = _broker.Register(_loader, "rejecting");
        var sink = new Recorder(_broker, "sink");

        // The forwarder's manifest allows sink, echo and gate only.
        long refused = (long)forwarder.Invoke("ask", (ulong)rejecting.Id, 1000);
        long unknown = (long)forwarder.Invoke("ask", 999, 1000);

        Assert.That(refused, Is.EqualTo((long)MessageStatus.NotAllowed));
        Assert.That(unknown, Is.EqualTo((long)MessageStatus.UnknownTarget));
        Assert.That(rejecting.GetStatistics().Sent, Is.Zero);
        Assert.That(forwarder.GetStatistics().Rejected, Is.EqualTo(2));
        Assert.That(sink.Received, Is.Empty);
    }

    [Test]
    public void Allowed_targets_in_the_options_add_to_the_manifest()
    {
        var forwarder = _broker.Register(_loader, "forwarder", new MailboxOptions { AllowedTargets = ["rejecting"] });
        var rejecting = _broker.Register(_loader, "rejecting");

        long correlation = (long)forwarder.Invoke("ask", (ulong)rejecting.Id, 0);

        Assert.That(correlation, Is.Positive);
        Assert.That(rejecting.GetStatistics().Sent, Is.EqualTo(1));
    }

    [Test]
    public void Hostile_guest_arguments_get_statuses_never_host_exceptions()
    {
        var probe = _loader.LoadBytes(Wat.ToWasm("""
            (module
              (import "wasmkit_msg" "resolve" (func $resolve (param i32 i32) (result i32)))
              (import "wasmkit_msg" "send" (func $send (param i32 i32 i32 i32) (result i32)))
              (import "wasmkit_msg" "reply" (func $reply (param i32 i32 i32) (result i32)))
              (import "wasmkit_msg" "name" (func $name (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "echo")
              (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "handle_message") (param i32 i32 i32 i32) (result i32) (i32.const 0))
              (func (export "resolve") (param i32 i32) (result i32) (call $resolve (local.get 0) (local.get 1)))
              (func (export "send") (param i32 i32 i32 i32) (result i32) (call $send (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
              (func (export "reply") (result i32) (call $reply (i32.const 0) (i32.const 4) (i32.const 0)))
              (func (export "name") (param i32 i32 i32) (result i32) (call $name (local.get 0) (local.get 1) (local.get 2))))
            """), new ComponentManifest { Name = "probe", Version = "1.0.0", Capabilities = ["wasmkit_msg", "wasmkit_msg:send:echo"] });
        var component = _broker.Register(probe);
        var echo = _broker.Register(_loader, "echo");
        int Call(string export, params ReadOnlySpan<ulong> arguments) => (int)component.Invoke(export, arguments);

        Assert.That(Call("resolve", 16, 4), Is.EqualTo(echo.Id));
        Assert.That(Call("resolve", 16, 3), Is.EqualTo((int)MessageStatus.UnknownTarget));
        Assert.That(Call("resolve", 65530, 100), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("resolve", unchecked((uint)-1), 4), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("send", (ulong)echo.Id, 65530, 100, 0), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("send", (ulong)echo.Id, 70000, 0, 0), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("send", (ulong)echo.Id, 0, unchecked((uint)-5), 0), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("send", unchecked((uint)-1), 0, 4, 0), Is.EqualTo((int)MessageStatus.UnknownTarget));
        Assert.That(Call("send", (ulong)_broker.Host.Id, 0, 4, 0), Is.EqualTo((int)MessageStatus.NotAllowed));
        Assert.That(Call("send", (ulong)echo.Id, 0, 4, 0), Is.EqualTo((int)MessageStatus.Accepted));
        Assert.That(Call("reply"), Is.EqualTo((int)MessageStatus.NotARequest));
        Assert.That(Call("name", (ulong)echo.Id, 100, 2), Is.EqualTo((int)MessageStatus.BufferTooSmall));
        Assert.That(Call("name", (ulong)echo.Id, 65535, 16), Is.EqualTo((int)MessageStatus.OutOfBounds));
        Assert.That(Call("name", (ulong)echo.Id, 100, 16), Is.EqualTo(4));
        Assert.That(echo.GetStatistics().Sent, Is.EqualTo(1));
    }

    [TestCase("no_handler")]
    [TestCase("no_handler_as")]
    public void A_component_without_handle_message_is_refused_at_registration(string component)
    {
        var error = Assert.Throws<ComponentLoadException>(() => _broker.Register(_loader, component))!;

        Assert.That(error.Message, Does.Contain("handle_message").And.Contain(component));
        Assert.That(_broker.Find(component), Is.Null);
    }

    [Test]
    public void A_component_with_other_imports_is_refused_at_registration()
    {
        var component = _loader.LoadBytes(Wat.ToWasm("""
            (module
              (import "env" "clock" (func (result i64)))
              (memory (export "memory") 1)
              (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "handle_message") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
            """), name: "clocked");

        var error = Assert.Throws<ComponentLoadException>(() => _broker.Register(component))!;

        Assert.That(error.Message, Does.Contain("'env'.'clock'"));
    }

    [Test]
    public void A_handle_message_of_the_wrong_type_is_refused_at_registration()
    {
        var component = _loader.LoadBytes(Wat.ToWasm("""
            (module
              (memory (export "memory") 1)
              (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "handle_message") (param i32 i32) (result i32) (i32.const 0)))
            """), name: "wrong");

        var error = Assert.Throws<ComponentLoadException>(() => _broker.Register(component))!;

        Assert.That(error.Message, Does.Contain("handle_message").And.Contain("i32"));
    }

    [Test]
    public void A_name_registered_twice_is_refused()
    {
        _broker.Register(_loader, "echo");

        Assert.Throws<ArgumentException>(() => _broker.Register(_loader, "echo"));
        Assert.Throws<ArgumentException>(() => _broker.RegisterHost(MessageBroker.HostEndpointName, (in IncomingMessage _) => { }));
    }

    [Test]
    public void Host_codecs_must_use_host_tags()
    {
        Assert.Throws<ArgumentException>(() => new MessageBroker(new MessageBrokerOptions { Codecs = [new LowTagCodec()] }));
    }

    /// <summary>A host codec for the tests: payloads of even length.</summary>
    private sealed class EvenLengthCodec() : MessageCodec(Tag, "even")
    {
        public const int Tag = FirstHostId;

        public override bool IsValid(ReadOnlySpan<byte> payload) => payload.Length % 2 == 0;
    }

    private sealed class LowTagCodec() : MessageCodec(2, "low")
    {
        public override bool IsValid(ReadOnlySpan<byte> payload) => true;
    }
}
