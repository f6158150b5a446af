using System.Diagnostics;
using WasmKit.Backends;
using WasmKit.Components;

namespace WasmKit.Messaging;

/// <summary>
/// Routes messages between components (and .NET endpoints): a send is validated (target registered, the
/// sender allowed to reach it, payload within <see cref="MessageBrokerOptions.MaximumPayloadBytes"/>, codec
/// known and payload valid for it), copied into the target's bounded mailbox and returns at once; the target's
/// <c>handle_message</c> runs later on a pooled instance, in order per sender and receiver. Requests get their
/// replies (or a timeout error) through <c>handle_response</c> or a task. Thread-safe.
/// </summary>
/// <remarks>
/// Each mailbox is drained by one thread at a time, in batches on one rented instance, so a slow or failing
/// handler holds up only its own mailbox. Works on any backend through the seam: the components' loader
/// decides the engine (it must reset instances, for pooling).
/// </remarks>
public sealed class MessageBroker : IDisposable
{
    /// <summary>The name of the built-in endpoint that .NET code sends from (<see cref="Host"/>).</summary>
    public const string HostEndpointName = "host";

    private readonly object _gate = new();
    private readonly MessageCodec?[] _codecs = new MessageCodec?[MessageCodec.LastId + 1];
    private readonly BackendImports _imports = new() { HostFunctions = MessagingHostFunctions.Definitions };
    // Copied on write: routing reads them without locks. Ids are indexes and never reused.
    private MessageEndpoint?[] _byId = [];
    private Dictionary<string, MessageEndpoint> _byName = new(StringComparer.Ordinal);
    private MessageEndpoint[] _live = [];
    private long _nextCorrelationId;
    private int _disposed;

    /// <summary>Creates a broker with the built-in <see cref="Host"/> endpoint.</summary>
    /// <param name="options">Limits, codecs and delivery; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range, or two codecs share a tag.</exception>
    public MessageBroker(MessageBrokerOptions? options = null)
    {
        Options = options ?? new MessageBrokerOptions();
        Options.Check();
        _codecs[MessageCodec.RawId] = MessageCodec.Raw;
        _codecs[MessageCodec.JsonId] = MessageCodec.Json;
        foreach (var codec in Options.Codecs) _codecs[codec.Id] = codec;
        Instruments = new MessagingMeterInstruments(Options.MeterFactory, () => Volatile.Read(ref _live));
        Host = RegisterHost(HostEndpointName, static (in IncomingMessage _) => { });
    }

    /// <summary>The options.</summary>
    public MessageBrokerOptions Options { get; }

    /// <summary>The built-in endpoint for .NET senders: it may send anywhere, and messages sent to it are discarded.</summary>
    public HostMessageEndpoint Host { get; }

    /// <summary>The registered endpoints, in registration order.</summary>
    public IReadOnlyList<MessageEndpoint> Endpoints => Volatile.Read(ref _live);

    internal MessagingMeterInstruments Instruments { get; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Registers a loaded component under its name: it must export <c>handle_message</c>, its memory and
    /// <c>wasmkit_alloc</c> (and <c>handle_response</c> if it imports <c>request</c>), and import nothing but
    /// <c>wasmkit_msg</c>. Its manifest's <c>"wasmkit_msg:send:TARGET"</c> capabilities say where it may send.
    /// </summary>
    /// <param name="component">The component, from a <see cref="ComponentLoader"/> whose backend resets instances.</param>
    /// <param name="options">Its mailbox; defaults when null.</param>
    /// <returns>The component's endpoint.</returns>
    /// <exception cref="ComponentLoadException">The component lacks an export or has an import messaging cannot satisfy (names which).</exception>
    /// <exception cref="ArgumentException">The name is taken, or an option is out of range.</exception>
    public MessagingComponent Register(LoadedComponent component, MailboxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(component);
        options ??= new MailboxOptions();
        options.Check();
        var module = component.BackendModule;
        var handleMessage = RequireExport(component, MessagingAbi.HandleMessageExport, MessagingAbi.HandleMessageType);
        var alloc = RequireExport(component, ComponentLoader.AllocExport, FunctionType.Of([ValueKind.Int32], [ValueKind.Int32]));
        if (!module.Exports.Any(e => e.Name == ComponentLoader.MemoryExport && e.Kind == ExternalKind.Memory))
            throw new ComponentLoadException(component.FilePath, null, $"a messaging component must export its memory as '{ComponentLoader.MemoryExport}'");
        var unresolved = module.FindUnresolvedImports(_imports);
        if (unresolved.Count > 0)
            throw new ComponentLoadException(component.FilePath, null,
                $"the module imports '{unresolved[0].ModuleName}'.'{unresolved[0].Name}', which messaging does not provide (it provides '{MessagingAbi.ModuleName}' only)");
        ExportInvoker? handleResponse = null;
        if (module.Imports.Any(i => i.ModuleName == MessagingAbi.ModuleName && i.Name == MessagingAbi.Request))
            handleResponse = RequireExport(component, MessagingAbi.HandleResponseExport, MessagingAbi.HandleResponseType);
        var allowed = new HashSet<string>(options.AllowedTargets, StringComparer.Ordinal);
        foreach (var capability in component.Manifest?.Capabilities ?? [])
            if (capability.StartsWith(MessagingAbi.SendCapabilityPrefix, StringComparison.Ordinal))
                allowed.Add(capability[MessagingAbi.SendCapabilityPrefix.Length..]);
        return Add(id => new MessagingComponent(this, id, component, options, allowed, _imports, handleMessage, handleResponse, alloc));
    }

    /// <summary>Registers a .NET endpoint: messages to it run <paramref name="handler"/>, one at a time in order.</summary>
    /// <param name="name">Its name (unique in the broker).</param>
    /// <param name="handler">Handles each message; an exception loses that message only.</param>
    /// <param name="options">Its mailbox; defaults when null.</param>
    /// <returns>The endpoint, which also sends.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken, or an option is out of range.</exception>
    public HostMessageEndpoint RegisterHost(string name, HostMessageHandler handler, MailboxOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new MailboxOptions();
        options.Check();
        return Add(id => new HostMessageEndpoint(this, id, name, handler, options));
    }

    /// <summary>The endpoint registered under a name, or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The endpoint, or null.</returns>
    public MessageEndpoint? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Volatile.Read(ref _byName).GetValueOrDefault(name);
    }

    /// <summary>
    /// Unloads an endpoint: new sends to it are refused at once, its waiting messages are delivered
    /// (<see cref="UnloadMode.Drain"/>) or dropped with their requests failed (<see cref="UnloadMode.Reject"/>),
    /// then its pool is disposed. Completes when its mailbox is empty.
    /// </summary>
    /// <param name="name">The endpoint's name.</param>
    /// <param name="mode">What to do with the waiting messages.</param>
    /// <returns>A task that completes when the endpoint is gone.</returns>
    /// <exception cref="ArgumentException">No endpoint has that name, or it is the built-in <see cref="Host"/>.</exception>
    public async Task UnregisterAsync(string name, UnloadMode mode)
    {
        ArgumentNullException.ThrowIfNull(name);
        MessageEndpoint endpoint;
        lock (_gate)
        {
            if (name == HostEndpointName) throw new ArgumentException("The built-in host endpoint cannot be unloaded.", nameof(name));
            if (!_byName.TryGetValue(name, out endpoint!)) throw new ArgumentException($"No endpoint is named '{name}'.", nameof(name));
            var byName = new Dictionary<string, MessageEndpoint>(_byName, StringComparer.Ordinal);
            byName.Remove(name);
            var byId = (MessageEndpoint?[])_byId.Clone();
            byId[endpoint.Id] = null;
            Publish(byId, byName);
        }
        if (mode == UnloadMode.Reject) endpoint.RejectRemaining();
        endpoint.Mailbox.Close();
        if (endpoint.Loop is { } loop) await loop.ConfigureAwait(false);
        else while (endpoint.Drain(int.MaxValue) > 0 || !endpoint.IsIdle) await Task.Yield();
        endpoint.Release();
    }

    /// <summary>
    /// Delivers waiting messages on the calling thread, mailbox after mailbox, until none is left (messages sent
    /// by handlers meanwhile included) or <paramref name="maximum"/> were delivered. For brokers made with
    /// <see cref="MessageBrokerOptions.DeliverInBackground"/> false.
    /// </summary>
    /// <param name="maximum">The most envelopes to deliver.</param>
    /// <returns>How many were delivered.</returns>
    /// <exception cref="InvalidOperationException">The broker delivers in the background.</exception>
    public long DeliverPending(long maximum = long.MaxValue)
    {
        if (Options.DeliverInBackground) throw new InvalidOperationException("This broker delivers in the background; DeliverPending is for brokers made with DeliverInBackground = false.");
        long total = 0;
        while (total < maximum)
        {
            long round = 0;
            foreach (var endpoint in Volatile.Read(ref _live))
            {
                if (total + round >= maximum) break;
                round += endpoint.Drain((int)Math.Min(maximum - total - round, endpoint.Options.MaximumBatch));
            }
            if (round == 0) break;
            total += round;
        }
        return total;
    }

    /// <summary>Completes when every mailbox is empty and no handler runs (messages sent by handlers meanwhile included).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public async Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Options.DeliverInBackground) DeliverPending();
            long before = TotalSent();
            bool idle = Volatile.Read(ref _live).All(e => e.IsIdle);
            if (idle && TotalSent() == before) return;
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every endpoint's statistics, in registration order.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<MessageEndpointStatistics> GetStatistics() => Volatile.Read(ref _live).Select(e => e.GetStatistics()).ToArray();

    /// <summary>Stops delivery and disposes every component's pool; waiting messages are dropped and their requests failed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        MessageEndpoint[] endpoints;
        lock (_gate)
        {
            endpoints = _live;
            Publish([], new Dictionary<string, MessageEndpoint>(StringComparer.Ordinal));
        }
        foreach (var endpoint in endpoints)
        {
            endpoint.RejectRemaining();
            endpoint.Mailbox.Close();
        }
        foreach (var endpoint in endpoints)
        {
            try
            {
                if (endpoint.Loop is { } loop) loop.Wait(TimeSpan.FromSeconds(5));
                else endpoint.Drain(int.MaxValue);
            }
            catch (AggregateException)
            {
                // A loop's failure was reported per message already; disposal goes on.
            }
            endpoint.Release();
        }
        Instruments.Dispose();
    }

    /// <summary>The id of the endpoint with a name, or -1.</summary>
    internal int Resolve(string name) => Volatile.Read(ref _byName).TryGetValue(name, out var endpoint) ? endpoint.Id : -1;

    /// <summary>The id of the endpoint with a name, or -1; allocates nothing.</summary>
    internal int Resolve(ReadOnlySpan<char> name) => Volatile.Read(ref _byName).GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var endpoint) ? endpoint.Id : -1;

    internal MessageEndpoint? FindById(int id)
    {
        var byId = Volatile.Read(ref _byId);
        return (uint)id < (uint)byId.Length ? byId[id] : null;
    }

    /// <summary>An endpoint's name for reports, also after it was unloaded.</summary>
    internal string NameOf(int id) => FindById(id)?.Name ?? $"#{id}";

    internal long NextCorrelationId() => Interlocked.Increment(ref _nextCorrelationId);

    /// <summary>Validates a send and puts it in the target's mailbox: the hot path of messaging.</summary>
    internal MessageStatus Route(MessageEndpoint sender, int targetId, ReadOnlySpan<byte> payload, int codec, EnvelopeKind kind, PendingRequest? request)
    {
        var status = Validate(sender, targetId, payload, codec, out var target);
        if (status == MessageStatus.Accepted) status = target!.Mailbox.Enqueue(kind, sender.Id, payload, codec, request);
        if (status < 0) sender.CountRejected();
        return status;
    }

    /// <summary>Answers a request from its handler; refuses a second answer, and answers to plain messages.</summary>
    internal MessageStatus Reply(PendingRequest? request, MessageEndpoint replier, ReadOnlySpan<byte> payload, int codec)
    {
        if (request is null || request.IsCompleted) return MessageStatus.NotARequest;
        if (payload.Length > Options.MaximumPayloadBytes) return MessageStatus.PayloadTooLarge;
        var status = CheckCodec(payload, codec);
        if (status != MessageStatus.Accepted) return status;
        return request.Complete(MessageStatus.Accepted, 0, payload, codec, replier.Name) ? MessageStatus.Accepted : MessageStatus.NotARequest;
    }

    internal void ReportFailure(DeliveryFailure failure)
    {
        try
        {
            Options.DeliveryFailed?.Invoke(failure);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A failing report must not stop the mailbox either.
            Debug.WriteLine($"WasmKit messaging: the DeliveryFailed callback threw: {error}");
        }
    }

    internal MessagingException Refused(MessageEndpoint sender, string target, MessageStatus status, int codec, int length) =>
        new(status, status switch
        {
            MessageStatus.UnknownTarget => $"'{sender.Name}' cannot send to '{target}': no endpoint has that name.",
            MessageStatus.NotAllowed => $"'{sender.Name}' may not send to '{target}' (its manifest needs the capability '{MessagingAbi.SendCapabilityPrefix}{target}').",
            MessageStatus.PayloadTooLarge => $"'{sender.Name}' cannot send {length} bytes to '{target}': the limit is {Options.MaximumPayloadBytes}.",
            MessageStatus.UnknownCodec => $"'{sender.Name}' cannot send to '{target}': codec {codec} is unknown.",
            MessageStatus.InvalidPayload => $"'{sender.Name}' cannot send to '{target}': the payload is not valid {_codecs[codec]?.Name}.",
            MessageStatus.MailboxFull => $"'{sender.Name}' cannot send to '{target}': its mailbox is full.",
            MessageStatus.TargetUnloaded => $"'{sender.Name}' cannot send to '{target}': it is being unloaded.",
            _ => $"'{sender.Name}' cannot send to '{target}': {status}.",
        });

    /// <summary>The checks of a send, without queueing it (also measured on its own by the benchmarks).</summary>
    internal MessageStatus Validate(MessageEndpoint sender, int targetId, ReadOnlySpan<byte> payload, int codec, out MessageEndpoint? target)
    {
        var byId = Volatile.Read(ref _byId);
        target = (uint)targetId < (uint)byId.Length ? byId[targetId] : null;
        if (target is null) return MessageStatus.UnknownTarget;
        if (!sender.MaySendTo(target)) return MessageStatus.NotAllowed;
        if (payload.Length > Options.MaximumPayloadBytes) return MessageStatus.PayloadTooLarge;
        return CheckCodec(payload, codec);
    }

    private MessageStatus CheckCodec(ReadOnlySpan<byte> payload, int codec)
    {
        if ((uint)codec >= (uint)_codecs.Length || _codecs[codec] is not { } known) return MessageStatus.UnknownCodec;
        // Raw needs no look at the bytes.
        if (codec == MessageCodec.RawId) return MessageStatus.Accepted;
        return known.IsValid(payload) ? MessageStatus.Accepted : MessageStatus.InvalidPayload;
    }

    private T Add<T>(Func<int, T> create) where T : MessageEndpoint
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            int id = _byId.Length;
            var endpoint = create(id);
            if (_byName.ContainsKey(endpoint.Name))
            {
                endpoint.Release();
                throw new ArgumentException($"An endpoint named '{endpoint.Name}' is registered already.");
            }
            var byName = new Dictionary<string, MessageEndpoint>(_byName, StringComparer.Ordinal) { [endpoint.Name] = endpoint };
            Publish([.. _byId, endpoint], byName);
            if (Options.DeliverInBackground) endpoint.Loop = Task.Run(endpoint.RunAsync);
            return endpoint;
        }
    }

    private void Publish(MessageEndpoint?[] byId, Dictionary<string, MessageEndpoint> byName)
    {
        Volatile.Write(ref _byId, byId);
        Volatile.Write(ref _byName, byName);
        Volatile.Write(ref _live, byId.OfType<MessageEndpoint>().ToArray());
    }

    private long TotalSent()
    {
        long total = 0;
        foreach (var endpoint in Volatile.Read(ref _live)) total += Volatile.Read(ref endpoint.Mailbox.Sent);
        return total;
    }

    private static ExportInvoker RequireExport(LoadedComponent component, string name, FunctionType type)
    {
        var export = component.BackendModule.Exports.FirstOrDefault(e => e.Name == name);
        if (export is null)
            throw new ComponentLoadException(component.FilePath, null, $"a messaging component must export '{name}' of type {type}; '{component.Name}' has no such export");
        if (export.Type is not FunctionType actual || !actual.Equals(type))
            throw new ComponentLoadException(component.FilePath, null, $"the export '{name}' of '{component.Name}' has type {export.Type}, but messaging needs {type}");
        return component.BackendModule.GetInvoker(name)!;
    }
}
