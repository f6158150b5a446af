using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Pooling;

namespace WasmKit.Messaging;

/// <summary>
/// A loaded component taking part in messaging (<see cref="MessageBroker.Register"/>): its mailbox is
/// delivered to its <c>handle_message</c> export on instances of its own pool, one instance held for a whole
/// batch of messages. A handler that traps loses that message (counted, reported) and its instance; the next
/// message runs on a fresh one.
/// </summary>
public sealed class MessagingComponent : MessageEndpoint
{
    private readonly ExportInvoker _handleMessage;
    private readonly ExportInvoker? _handleResponse;
    private readonly ExportInvoker _alloc;
    private readonly long? _fuelPerMessage;
    // The instance held for the current batch, and the guest buffer the payloads are written to.
    private PooledInstance? _lease;
    private MessagingInstanceState? _leaseState;
    private int _bufferAddress;
    private int _bufferCapacity;

    internal MessagingComponent(MessageBroker broker, int id, LoadedComponent component, MailboxOptions options, IReadOnlySet<string> allowedTargets,
        BackendImports imports, ExportInvoker handleMessage, ExportInvoker? handleResponse, ExportInvoker alloc)
        : base(broker, id, component.Name, options, allowedTargets)
    {
        Component = component;
        _handleMessage = handleMessage;
        _handleResponse = handleResponse;
        _alloc = alloc;
        var module = component.BackendModule;
        bool fuel = module.Backend.Capabilities.SupportsFuel;
        _fuelPerMessage = fuel ? options.FuelPerMessage ?? component.Manifest?.Limits?.Fuel : null;
        Pool = new InstancePool(module, new BackendInstanceOptions
        {
            Imports = imports,
            MaximumMemoryPages = component.Manifest?.Limits?.MemoryPages,
            CreateHostState = _ => new MessagingInstanceState(this),
        }, options.Pool ?? new InstancePoolOptions { MaximumInstances = 2, PrewarmCount = 1 });
    }

    /// <summary>The component.</summary>
    public LoadedComponent Component { get; }

    /// <summary>The pool its handlers run on; rent from it to call other exports (their sends come from this component).</summary>
    public InstancePool Pool { get; }

    /// <summary>Whether the component can receive the outcome of its own requests (it exports <c>handle_response</c>).</summary>
    internal bool CanReceiveResponses => _handleResponse is not null;

    /// <summary>
    /// Calls an export of the component on a pooled instance, e.g. one that starts sending; its sends and
    /// requests come from this component.
    /// </summary>
    /// <param name="export">The export's name.</param>
    /// <param name="arguments">One slot per parameter (see <see cref="ExportInvoker"/>).</param>
    /// <returns>The export's result (0 when it has none).</returns>
    /// <exception cref="ArgumentException">There is no function export of that name.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public ulong Invoke(string export, params ReadOnlySpan<ulong> arguments)
    {
        var invoker = Component.BackendModule.GetInvoker(export)
            ?? throw new ArgumentException($"The component '{Name}' has no function export named '{export}'.", nameof(export));
        using var instance = Pool.Rent();
        return invoker.Invoke(instance.BackendInstance, arguments);
    }

    internal override void Release() => Pool.Dispose();

    private protected override (MessageStatus Status, int HandlerCode, Exception? Error) Deliver(ref Envelope envelope)
    {
        try
        {
            var lease = _lease ??= Pool.Rent();
            var instance = lease.BackendInstance;
            _leaseState ??= (MessagingInstanceState)instance.HostState!;
            int length = envelope.Length;
            if (!EnsureBuffer(instance, length))
                return (MessageStatus.HandlerTrapped, 0, new MessagingException(MessageStatus.OutOfBounds,
                    $"The component '{Name}' returned no usable buffer from '{ComponentLoader.AllocExport}' for a payload of {length} bytes."));
            envelope.Payload.CopyTo(instance.WriteMemory(_bufferAddress, length));
            if (_fuelPerMessage is long fuel) instance.Fuel = fuel;
            Span<ulong> arguments = stackalloc ulong[5];
            int result;
            if (envelope.Kind == EnvelopeKind.Response)
            {
                arguments[0] = (ulong)envelope.CorrelationId;
                arguments[1] = (uint)envelope.Status;
                arguments[2] = (uint)_bufferAddress;
                arguments[3] = (uint)length;
                arguments[4] = (uint)envelope.Codec;
                result = (int)_handleResponse!.Invoke(instance, arguments);
            }
            else
            {
                _leaseState.CurrentRequest = envelope.Request;
                arguments[0] = (uint)envelope.SenderId;
                arguments[1] = (uint)_bufferAddress;
                arguments[2] = (uint)length;
                arguments[3] = (uint)envelope.Codec;
                result = (int)_handleMessage.Invoke(instance, arguments[..4]);
            }
            return result == 0 ? (MessageStatus.Accepted, 0, null) : (MessageStatus.HandlerFailed, result, null);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The instance may be in any state: it goes (a trapped one is discarded by the pool anyway).
            _lease?.MarkBroken();
            EndBatch();
            return (MessageStatus.HandlerTrapped, 0, error);
        }
        finally
        {
            if (_leaseState is not null) _leaseState.CurrentRequest = null;
        }
    }

    private protected override void EndBatch()
    {
        var lease = _lease;
        _lease = null;
        _leaseState = null;
        _bufferAddress = 0;
        _bufferCapacity = 0;
        lease?.Dispose();
    }

    /// <summary>Makes sure the guest buffer holds <paramref name="length"/> bytes, asking the guest for a larger one if not.</summary>
    private bool EnsureBuffer(IBackendInstance instance, int length)
    {
        if (length <= _bufferCapacity) return true;
        int size = Math.Max(length, 256);
        Span<ulong> argument = [(uint)size];
        int address = (int)_alloc.Invoke(instance, argument);
        if (address <= 0 || (long)address + size > instance.MemoryLength) return false;
        _bufferAddress = address;
        _bufferCapacity = size;
        return true;
    }
}
