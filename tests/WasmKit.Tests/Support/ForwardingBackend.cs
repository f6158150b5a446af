using System.Collections.Concurrent;
using WasmKit.Backends;

namespace WasmKit.Tests.Support;

/// <summary>
/// A backend that only forwards to another through the seam's interfaces, with module, instance and invoker
/// objects of its own: the product layer running on it cannot reach the inner engine's types, so every test
/// that passes on it shows the product layer needs nothing but the seam.
/// </summary>
internal sealed class ForwardingBackend(IWasmBackend inner) : IWasmBackend
{
    public string Name => "forwarding";

    public BackendCapabilities Capabilities => inner.Capabilities;

    public string ConfigurationKey => "forwarding/" + inner.ConfigurationKey;

    public IBackendModule Compile(ReadOnlySpan<byte> bytes, string? name = null) => new ForwardingModule(this, inner.Compile(bytes, name));

    private sealed class ForwardingModule(ForwardingBackend backend, IBackendModule inner) : IBackendModule
    {
        private readonly ConcurrentDictionary<string, ExportInvoker?> _invokers = new();

        public IWasmBackend Backend => backend;
        public string Name => inner.Name;
        public string ContentHash => inner.ContentHash;
        public IReadOnlyList<ImportDescriptor> Imports => inner.Imports;
        public IReadOnlyList<ExportDescriptor> Exports => inner.Exports;
        public IReadOnlyList<MemoryType> Memories => inner.Memories;

        public ExportInvoker? GetInvoker(string export) =>
            _invokers.GetOrAdd(export, name => inner.GetInvoker(name) is { } found ? new ForwardingInvoker(this, found) : null);

        public IReadOnlyList<ImportDescriptor> FindUnresolvedImports(BackendImports imports) => inner.FindUnresolvedImports(imports);

        public IBackendInstance Instantiate(BackendInstanceOptions options)
        {
            var create = options.CreateHostState;
            var innerInstance = inner.Instantiate(new BackendInstanceOptions
            {
                Imports = options.Imports,
                MaximumMemoryPages = options.MaximumMemoryPages,
                InitialFuel = options.InitialFuel,
                CreateHostState = create is null ? null : budget => create(new ForwardingBudget(budget)),
                InstantiationFinished = options.InstantiationFinished,
            });
            return new ForwardingInstance(this, innerInstance);
        }
    }

    private class ForwardingBudget(IExecutionBudget inner) : IExecutionBudget
    {
        public long Fuel { get => inner.Fuel; set => inner.Fuel = value; }
        public void RequestInterrupt() => inner.RequestInterrupt();
        public void WithdrawInterrupt() => inner.WithdrawInterrupt();
        public IDisposable InterruptOn(CancellationToken token) => inner.InterruptOn(token);
        public void CancelPendingInterrupts() => inner.CancelPendingInterrupts();
    }

    private sealed class ForwardingInstance(ForwardingModule module, IBackendInstance inner) : ForwardingBudget(inner), IBackendInstance
    {
        public IBackendInstance Inner => inner;
        public IBackendModule Module => module;
        public object? HostState => inner.HostState;
        public bool HasTrapped => inner.HasTrapped;
        public long MemoryLength => inner.MemoryLength;
        public ReadOnlySpan<byte> ReadMemory(long address, int length) => inner.ReadMemory(address, length);
        public Span<byte> WriteMemory(long address, int length) => inner.WriteMemory(address, length);
        public bool Reset() => inner.Reset();
        public bool CaptureResetState() => inner.CaptureResetState();
        public void Dispose() => inner.Dispose();
    }

    private sealed class ForwardingInvoker(ForwardingModule module, ExportInvoker inner) : ExportInvoker(inner.Name, inner.Type)
    {
        public override ulong Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments) => inner.Invoke(Unwrap(instance), arguments);

        public override void Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments, Span<ulong> results) =>
            inner.Invoke(Unwrap(instance), arguments, results);

        private IBackendInstance Unwrap(IBackendInstance instance) =>
            instance is ForwardingInstance forwarding && forwarding.Module == module
                ? forwarding.Inner
                : throw new ArgumentException("The instance is not an instance of this module.", nameof(instance));
    }
}

/// <summary>The managed engine seen only through <see cref="ForwardingBackend"/>: the product layer on the seam alone.</summary>
public sealed class ForwardingBackendFixture : BackendFixture
{
    /// <inheritdoc />
    public override string Name => "forwarding";

    /// <inheritdoc />
    public override IWasmBackend CreateBackend() => new ForwardingBackend(WasmKit.Backends.Managed.ManagedBackend.Create());
}
