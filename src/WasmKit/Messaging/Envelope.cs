using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace WasmKit.Messaging;

/// <summary>What a mailbox slot holds.</summary>
internal enum EnvelopeKind : byte
{
    /// <summary>Fire and forget.</summary>
    Message,

    /// <summary>A message awaiting a reply (<see cref="Envelope.Request"/>).</summary>
    Request,

    /// <summary>The reply (or timeout) of a request the mailbox's owner made from guest code.</summary>
    Response,
}

/// <summary>
/// One message in a mailbox, stored by value in the channel's ring: payloads up to <see cref="InlinePayload.Size"/>
/// bytes live inside it (no allocation per message); larger ones in an array rented from the shared pool.
/// </summary>
internal struct Envelope
{
    public EnvelopeKind Kind;
    public int SenderId;
    public int Codec;
    public int Length;
    public int Status;
    public long CorrelationId;
    /// <summary>When the message was sent (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) if its latency is sampled; else 0.</summary>
    public long SentAt;
    public byte[]? Rented;
    public PendingRequest? Request;
    public InlinePayload Inline;

    [UnscopedRef]
    public ReadOnlySpan<byte> Payload => Rented is null ? ((ReadOnlySpan<byte>)Inline)[..Length] : Rented.AsSpan(0, Length);

    public void SetPayload(ReadOnlySpan<byte> payload)
    {
        Length = payload.Length;
        if (payload.Length <= InlinePayload.Size)
        {
            payload.CopyTo(Inline);
        }
        else
        {
            Rented = ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.CopyTo(Rented);
        }
    }

    /// <summary>Gives a rented payload back; the envelope must not be read afterwards.</summary>
    public void Release()
    {
        if (Rented is null) return;
        ArrayPool<byte>.Shared.Return(Rented);
        Rented = null;
    }
}

/// <summary>The in-envelope payload storage: small messages are copied here and never touch the heap.</summary>
[InlineArray(Size)]
internal struct InlinePayload
{
    public const int Size = 64;

    private byte _first;
}
