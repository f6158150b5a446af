using System.Buffers.Binary;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Messaging;

/// <summary>Finds fixtures/messaging, loads its components on a test's backend, and records what host endpoints receive.</summary>
internal static class MessagingFixtures
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "WasmKit.sln"))) return System.IO.Path.Combine(dir.FullName, "fixtures", "messaging");
            }
            throw new DirectoryNotFoundException("fixtures/messaging not found above the test directory.");
        }
    }

    /// <summary>Loads NAME.wasm with its manifest.</summary>
    public static LoadedComponent Load(ComponentLoader loader, string name) => loader.LoadFile(System.IO.Path.Combine(Directory, name + ".wasm"));

    /// <summary>Loads and registers a fixture component.</summary>
    public static MessagingComponent Register(this MessageBroker broker, ComponentLoader loader, string name, MailboxOptions? options = null) =>
        broker.Register(Load(loader, name), options);

    /// <summary>A payload starting with a sequence number.</summary>
    public static byte[] Numbered(int number, int length = 4)
    {
        var payload = new byte[Math.Max(length, 4)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, number);
        return payload;
    }
}

/// <summary>A host endpoint that keeps what it receives, in order.</summary>
internal sealed class Recorder
{
    private readonly List<(string Sender, byte[] Payload, int Codec)> _received = [];

    public Recorder(MessageBroker broker, string name, MailboxOptions? options = null)
    {
        Endpoint = broker.RegisterHost(name, Record, options);
    }

    public HostMessageEndpoint Endpoint { get; }

    public IReadOnlyList<(string Sender, byte[] Payload, int Codec)> Received
    {
        get
        {
            lock (_received) return _received.ToArray();
        }
    }

    public IEnumerable<int> Numbers => Received.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r.Payload));

    private void Record(in IncomingMessage message)
    {
        var entry = (message.Sender, message.Payload.ToArray(), message.Codec);
        lock (_received) _received.Add(entry);
    }
}

/// <summary>A host endpoint whose handler blocks until released: a slow handler under the test's control.</summary>
internal sealed class Gate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly ManualResetEventSlim _entered = new(false);

    public Gate(MessageBroker broker, string name = "gate")
    {
        Endpoint = broker.RegisterHost(name, (in IncomingMessage _) =>
        {
            _entered.Set();
            _open.Wait(TimeSpan.FromSeconds(30));
        });
    }

    public HostMessageEndpoint Endpoint { get; }

    /// <summary>Waits until a handler call is blocked in the gate.</summary>
    public void WaitEntered() => Assert.That(_entered.Wait(TimeSpan.FromSeconds(30)), Is.True, "the gate's handler never ran");

    public void Open() => _open.Set();

    public void Dispose()
    {
        _open.Set();
    }
}
