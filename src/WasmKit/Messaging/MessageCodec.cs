using System.Text.Json;

namespace WasmKit.Messaging;

/// <summary>
/// A payload encoding, named by the tag every message carries. The broker knows <see cref="Raw"/> and
/// <see cref="Json"/>; hosts register more (<see cref="MessageBrokerOptions.Codecs"/>). A send with an unknown
/// tag, or a payload its codec refuses, is rejected at the sender.
/// </summary>
public abstract class MessageCodec
{
    /// <summary>The tag of <see cref="Raw"/>.</summary>
    public const int RawId = 0;

    /// <summary>The tag of <see cref="Json"/>.</summary>
    public const int JsonId = 1;

    /// <summary>The lowest tag a host codec may use (lower ones are WasmKit's).</summary>
    public const int FirstHostId = 16;

    /// <summary>The highest tag a codec may use (the broker keeps its codecs in a table indexed by tag).</summary>
    public const int LastId = 255;

    /// <summary>Creates a codec.</summary>
    /// <param name="id">Its tag.</param>
    /// <param name="name">Its name, for errors and metrics.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative or above <see cref="LastId"/>.</exception>
    protected MessageCodec(int id, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, LastId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Id = id;
        Name = name;
    }

    /// <summary>Bytes as they are: every payload is valid.</summary>
    public static MessageCodec Raw { get; } = new RawCodec();

    /// <summary>UTF-8 JSON: the payload must be one well-formed JSON value (checked at send, without allocating).</summary>
    public static MessageCodec Json { get; } = new JsonCodec();

    /// <summary>The tag.</summary>
    public int Id { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>Whether a payload is valid in this encoding; called at every send with this tag, so keep it cheap.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>True when it is.</returns>
    public abstract bool IsValid(ReadOnlySpan<byte> payload);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Id})";

    private sealed class RawCodec() : MessageCodec(RawId, "raw")
    {
        public override bool IsValid(ReadOnlySpan<byte> payload) => true;
    }

    private sealed class JsonCodec() : MessageCodec(JsonId, "json")
    {
        public override bool IsValid(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            try
            {
                if (!reader.Read()) return false;
                reader.Skip();
                return !reader.Read();
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
