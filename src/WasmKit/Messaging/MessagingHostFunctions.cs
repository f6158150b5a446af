using System.Text;
using WasmKit.Backends;

namespace WasmKit.Messaging;

/// <summary>
/// The <c>wasmkit_msg</c> imports (<see cref="MessagingAbi"/>) as the backend seam defines host functions, so
/// they run on every engine. Each finds its sender as the calling instance's host state
/// (<see cref="MessagingInstanceState"/>). Bad guest input (pointers outside memory, unknown ids) yields a
/// negative <see cref="MessageStatus"/>, never a host exception; <c>send</c> allocates nothing.
/// </summary>
internal static class MessagingHostFunctions
{
    private const int MaximumNameBytes = 256;

    public static IReadOnlyList<HostFunctionDefinition> Definitions { get; } =
    [
        new(MessagingAbi.ModuleName, MessagingAbi.Resolve, FunctionType.Of([ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            static (c, a, r) => r[0] = (uint)Resolve(c, (int)a[0], (int)a[1])),
        new(MessagingAbi.ModuleName, MessagingAbi.Send, FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            static (c, a, r) => r[0] = (uint)(int)Send(c, (int)a[0], (int)a[1], (int)a[2], (int)a[3])),
        new(MessagingAbi.ModuleName, MessagingAbi.Request, FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int64]),
            static (c, a, r) => r[0] = (ulong)Request(c, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4])),
        new(MessagingAbi.ModuleName, MessagingAbi.Reply, FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            static (c, a, r) => r[0] = (uint)(int)Reply(c, (int)a[0], (int)a[1], (int)a[2])),
        new(MessagingAbi.ModuleName, MessagingAbi.Name, FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            static (c, a, r) => r[0] = (uint)Name(c, (int)a[0], (int)a[1], (int)a[2])),
    ];

    private static int Resolve(HostCallContext context, int pointer, int length)
    {
        if (context.State is not MessagingInstanceState state) return (int)MessageStatus.NotAllowed;
        if (!TryRead(context, pointer, length, out var utf8)) return (int)MessageStatus.OutOfBounds;
        if (utf8.Length > MaximumNameBytes) return (int)MessageStatus.UnknownTarget;
        Span<char> name = stackalloc char[MaximumNameBytes];
        if (!Encoding.UTF8.TryGetChars(utf8, name, out int written)) return (int)MessageStatus.UnknownTarget;
        int id = state.Endpoint.Broker.Resolve(name[..written]);
        return id < 0 ? (int)MessageStatus.UnknownTarget : id;
    }

    private static MessageStatus Send(HostCallContext context, int target, int pointer, int length, int codec)
    {
        if (context.State is not MessagingInstanceState state) return MessageStatus.NotAllowed;
        if (!TryRead(context, pointer, length, out var payload))
        {
            state.Endpoint.CountRejected();
            return MessageStatus.OutOfBounds;
        }
        return state.Endpoint.Broker.Route(state.Endpoint, target, payload, codec, EnvelopeKind.Message, null);
    }

    private static long Request(HostCallContext context, int target, int pointer, int length, int codec, int timeoutMilliseconds)
    {
        if (context.State is not MessagingInstanceState state) return (long)MessageStatus.NotAllowed;
        var endpoint = state.Endpoint;
        if (!endpoint.CanReceiveResponses)
        {
            endpoint.CountRejected();
            return (long)MessageStatus.NoResponseHandler;
        }
        if (!TryRead(context, pointer, length, out var payload))
        {
            endpoint.CountRejected();
            return (long)MessageStatus.OutOfBounds;
        }
        var timeout = timeoutMilliseconds <= 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
        var request = endpoint.StartRequest(target, endpoint.Broker.NameOf(target), payload, codec, timeout, forDotNet: false, out var status);
        return request is null ? (long)status : request.CorrelationId;
    }

    private static MessageStatus Reply(HostCallContext context, int pointer, int length, int codec)
    {
        if (context.State is not MessagingInstanceState state) return MessageStatus.NotARequest;
        if (!TryRead(context, pointer, length, out var payload)) return MessageStatus.OutOfBounds;
        return state.Endpoint.Broker.Reply(state.CurrentRequest, state.Endpoint, payload, codec);
    }

    private static int Name(HostCallContext context, int id, int pointer, int capacity)
    {
        if (context.State is not MessagingInstanceState state) return (int)MessageStatus.NotAllowed;
        if (state.Endpoint.Broker.FindById(id) is not { } endpoint) return (int)MessageStatus.UnknownTarget;
        if (!TryRead(context, pointer, capacity, out _)) return (int)MessageStatus.OutOfBounds;
        int needed = Encoding.UTF8.GetByteCount(endpoint.Name);
        if (needed > capacity) return (int)MessageStatus.BufferTooSmall;
        int written = Encoding.UTF8.GetBytes(endpoint.Name, context.Memory.Slice(pointer, capacity));
        context.Written(pointer, written);
        return written;
    }

    private static bool TryRead(HostCallContext context, int pointer, int length, out ReadOnlySpan<byte> bytes)
    {
        var memory = context.Memory;
        if (pointer < 0 || length < 0 || pointer > memory.Length || length > memory.Length - pointer)
        {
            bytes = default;
            return false;
        }
        bytes = memory.Slice(pointer, length);
        return true;
    }
}
