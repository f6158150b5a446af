using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;
using WasmKit.Messaging;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>The messaging benchmarks' shared setup: a backend by name and the fixtures/messaging components.</summary>
internal static class MessagingBenchmarkSupport
{
    public static IWasmBackend CreateBackend(string name) => name == "wasmtime" ? new WasmtimeBackend() : ManagedBackend.Create();

    public static MessagingComponent Register(MessageBroker broker, ComponentLoader loader, string name, MailboxOptions? options = null) =>
        broker.Register(loader.LoadFile(Path.Combine(Fixtures.Root, "messaging", name + ".wasm")), options);

    public static void Release(IWasmBackend backend)
    {
        if (backend is IDisposable disposable) disposable.Dispose();
    }
}
