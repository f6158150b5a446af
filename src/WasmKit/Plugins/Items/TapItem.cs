using System.Text;
using System.Text.Json;

namespace WasmKit.Plugins;

/// <summary>
/// The item a tap runs over: a JSON object whose top-level fields are indexed once, so that plugins get
/// exactly the fields they declared, as raw JSON text sliced from the original bytes (no re-encoding).
/// Mutating taps replace or add fields; later taps see the changes. One request's item: not thread-safe.
/// </summary>
public sealed class TapItem
{
    /// <summary>The most top-level fields an item may have.</summary>
    public const int MaximumFields = 4096;

    private readonly ReadOnlyMemory<byte> _json;
    private Field[] _fields;
    private int _count;

    private TapItem(ReadOnlyMemory<byte> json, Field[] fields, int count)
    {
        _json = json;
        _fields = fields;
        _count = count;
    }

    /// <summary>How many top-level fields the item has.</summary>
    public int FieldCount => _count;

    /// <summary>Whether a tap changed a field since the item was parsed.</summary>
    public bool IsModified { get; private set; }

    /// <summary>Indexes an item: a JSON object in UTF-8, which is kept (not copied) and must not change while the item is used.</summary>
    /// <param name="utf8Json">The item.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">The JSON is malformed, not an object, has a field twice, or has more than <see cref="MaximumFields"/> fields.</exception>
    public static TapItem Parse(ReadOnlyMemory<byte> utf8Json)
    {
        var fields = new Field[24];
        int count = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8Json.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new ArgumentException("The item must be a JSON object.", nameof(utf8Json));
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (count == MaximumFields) throw new ArgumentException($"The item has more than {MaximumFields} fields.", nameof(utf8Json));
                int nameStart = (int)reader.TokenStartIndex;
                int nameLength = reader.ValueSpan.Length + 2;
                byte[]? decodedName = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : null;
                reader.Read();
                int valueStart = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                int valueEnd = (int)reader.BytesConsumed;
                var field = new Field(nameStart, nameLength, decodedName, valueStart, valueEnd - valueStart);
                if (count == fields.Length) Array.Resize(ref fields, fields.Length * 2);
                fields[count] = field;
                if (IndexOf(utf8Json.Span, fields, count, NameOf(utf8Json.Span, field)) >= 0)
                    throw new ArgumentException($"The item has the field '{Encoding.UTF8.GetString(NameOf(utf8Json.Span, field))}' twice.", nameof(utf8Json));
                count++;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                throw new ArgumentException("The item must be a single JSON object.", nameof(utf8Json));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"The item is not well-formed JSON: {error.Message}", nameof(utf8Json), error);
        }
        return new TapItem(utf8Json, fields, count);
    }

    /// <summary>Indexes an item given as text.</summary>
    /// <param name="json">The item, a JSON object.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">See <see cref="Parse(ReadOnlyMemory{byte})"/>.</exception>
    public static TapItem Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The raw JSON text of a field (e.g. <c>"a \"b\""</c> with its quotes, or <c>42</c>), as it is now.</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="value">The value's UTF-8 JSON text.</param>
    /// <returns>Whether the item has the field.</returns>
    public bool TryGetRawValue(string name, out ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> buffer = stackalloc byte[256];
        int length = Encoding.UTF8.GetMaxByteCount(name.Length);
        var utf8 = length <= buffer.Length ? buffer : new byte[length];
        int index = IndexOf(utf8[..Encoding.UTF8.GetBytes(name, utf8)]);
        value = index < 0 ? default : RawValue(index);
        return index >= 0;
    }

    /// <summary>A field's value, parsed (for host code that wants a <see cref="JsonElement"/>).</summary>
    /// <param name="name">The field's name.</param>
    /// <returns>A detached element, or null when the item has no such field.</returns>
    public JsonElement? GetValue(string name)
    {
        if (!TryGetRawValue(name, out var raw)) return null;
        using var document = JsonDocument.Parse(raw);
        return document.RootElement.Clone();
    }

    /// <summary>The item as JSON, with the taps' changes.</summary>
    /// <returns>New UTF-8 bytes (the original ones when nothing changed).</returns>
    public byte[] ToJsonBytes()
    {
        if (!IsModified && _json.Length > 0) return _json.ToArray();
        var bytes = new byte[SerializedLength(null)];
        Serialize(bytes, null);
        return bytes;
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToJsonBytes());

    /// <summary>The index of a field by its UTF-8 name, or -1.</summary>
    internal int IndexOf(ReadOnlySpan<byte> name) => IndexOf(_json.Span, _fields, _count, name);

    /// <summary>A field's raw JSON value as it is now.</summary>
    internal ReadOnlyMemory<byte> RawValue(int index)
    {
        ref readonly var field = ref _fields[index];
        return field.Replacement ?? _json.Slice(field.ValueStart, field.ValueLength);
    }

    /// <summary>Sets a field (adding it when missing) to a raw JSON value already checked to be one well-formed value.</summary>
    internal void SetRawValue(ReadOnlySpan<byte> name, byte[] value)
    {
        int index = IndexOf(name);
        if (index < 0)
        {
            if (_count == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
            // An added field has a manifest-checked name (no escapes), kept as its own bytes.
            index = _count++;
            _fields[index] = new Field(-1, 0, name.ToArray(), 0, 0);
        }
        _fields[index].Replacement = value;
        IsModified = true;
    }

    /// <summary>
    /// The length of the item serialized with only the given fields (all when <paramref name="fields"/> is null).
    /// Fields of the list that the item lacks are left out.
    /// </summary>
    internal int SerializedLength(IReadOnlyList<byte[]>? fields)
    {
        long length = 2;
        int written = 0;
        if (fields is null)
        {
            for (int i = 0; i < _count; i++) length += MemberLength(i) + (written++ > 0 ? 1 : 0);
        }
        else
        {
            foreach (var name in fields)
            {
                int index = IndexOf(name);
                if (index >= 0) length += MemberLength(index) + (written++ > 0 ? 1 : 0);
            }
        }
        return length > int.MaxValue ? throw new InvalidOperationException("The item is too large to serialize.") : (int)length;
    }

    /// <summary>Writes the item with only the given fields (see <see cref="SerializedLength"/>) into exactly that many bytes: raw slices, no re-encoding.</summary>
    internal void Serialize(Span<byte> destination, IReadOnlyList<byte[]>? fields)
    {
        int at = 0;
        destination[at++] = (byte)'{';
        if (fields is null)
        {
            for (int i = 0; i < _count; i++) at = WriteMember(destination, at, i);
        }
        else
        {
            foreach (var name in fields)
            {
                int index = IndexOf(name);
                if (index >= 0) at = WriteMember(destination, at, index);
            }
        }
        destination[at] = (byte)'}';
    }

    private int MemberLength(int index)
    {
        ref readonly var field = ref _fields[index];
        int name = field.NameStart >= 0 ? field.NameLength : field.DecodedName!.Length + 2;
        return name + 1 + (field.Replacement?.Length ?? field.ValueLength);
    }

    private int WriteMember(Span<byte> destination, int at, int index)
    {
        ref readonly var field = ref _fields[index];
        if (at > 1) destination[at++] = (byte)',';
        var source = _json.Span;
        if (field.NameStart >= 0)
        {
            source.Slice(field.NameStart, field.NameLength).CopyTo(destination[at..]);
            at += field.NameLength;
        }
        else
        {
            destination[at++] = (byte)'"';
            field.DecodedName.CopyTo(destination[at..]);
            at += field.DecodedName!.Length;
            destination[at++] = (byte)'"';
        }
        destination[at++] = (byte)':';
        var value = field.Replacement is { } replacement ? replacement : source.Slice(field.ValueStart, field.ValueLength);
        value.CopyTo(destination[at..]);
        return at + value.Length;
    }

    private static int IndexOf(ReadOnlySpan<byte> json, Field[] fields, int count, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < count; i++)
            if (NameOf(json, fields[i]).SequenceEqual(name)) return i;
        return -1;
    }

    /// <summary>A field's unescaped UTF-8 name.</summary>
    private static ReadOnlySpan<byte> NameOf(ReadOnlySpan<byte> json, in Field field) =>
        field.DecodedName ?? json.Slice(field.NameStart + 1, field.NameLength - 2);

    /// <summary>
    /// One top-level field: where its name token (with quotes) and value lie in the original JSON, its
    /// unescaped name when the token has escapes (or the field was added), and its replacement value.
    /// </summary>
    private struct Field(int nameStart, int nameLength, byte[]? decodedName, int valueStart, int valueLength)
    {
        public readonly int NameStart = nameStart;
        public readonly int NameLength = nameLength;
        public readonly byte[]? DecodedName = decodedName;
        public readonly int ValueStart = valueStart;
        public readonly int ValueLength = valueLength;
        public byte[]? Replacement;
    }
}
