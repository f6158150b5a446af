using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>
/// A JSON document prepared for fast field reads: every value a <see cref="FieldPath"/> can reach is
/// stored under its full path (<c>specs.dims[1].mm</c>) in one hash table, so a read from a UDF is
/// one hash and one byte compare, where a <see cref="JsonElement"/> walks property lists.
/// </summary>
/// <remarks>
/// Build it once per document, where documents enter the host (ingest, cache fill), and evaluate
/// any number of UDFs over it: it is immutable and safe to share between threads. Reads give the
/// same answers as on the <see cref="JsonElement"/> it came from, duplicate property names
/// included (the last one wins, as in <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>).
/// Property names containing <c>.</c>, <c>[</c> or <c>]</c> cannot be named by a path, so they are not indexed.
/// </remarks>
public sealed class IndexedDocument
{
    private const int StackPathBytes = 256;
    private const int ShortPathBytes = 16;

    private readonly byte[] _bytes;
    // The open-addressing table itself: fields sit in their buckets, so a hit reads one entry. An
    // empty bucket has PathLength 0 (indexed paths are never empty).
    private readonly Field[] _fields;
    private readonly int _count;
    private readonly int _mask;

    // A random seed per process keeps documents from untrusted sources from choosing colliding
    // paths. Read-only and set before any lookup is compiled, so the JIT folds it into the hash and
    // a field read need not wait for a load before hashing.
    private static readonly ulong HashSeed = (ulong)Random.Shared.NextInt64();

    private IndexedDocument(JsonElement root, byte[] bytes, Field[] table, int count)
    {
        Root = root;
        _bytes = bytes;
        _fields = table;
        _count = count;
        _mask = table.Length - 1;
    }

    /// <summary>The whole document, as a <see cref="JsonElement"/> this index owns.</summary>
    public JsonElement Root { get; }

    /// <summary>How many values (objects, arrays and scalars, nulls included) are indexed.</summary>
    public int FieldCount => _count;

    /// <summary>Indexes a JSON document.</summary>
    /// <param name="document">The document; it is copied, so its <see cref="JsonDocument"/> may be disposed afterwards.</param>
    /// <returns>The indexed document.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is <c>default</c>.</exception>
    public static IndexedDocument Create(JsonElement document)
    {
        if (document.ValueKind == JsonValueKind.Undefined)
            throw new ArgumentException("The document is an undefined (default) JsonElement.", nameof(document));
        return new Builder().Build(document.Clone());
    }

    /// <summary>Parses and indexes UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document's bytes.</param>
    /// <returns>The indexed document.</returns>
    /// <exception cref="JsonException">The bytes are not one valid JSON value.</exception>
    public static IndexedDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        // JsonDocument refuses anything but exactly one value (trailing data included) with a JsonException.
        var reader = new Utf8JsonReader(utf8Json);
        var root = JsonElement.ParseValue(ref reader);
        if (reader.BytesConsumed < utf8Json.Length && utf8Json[(int)reader.BytesConsumed..].TrimStart(" \t\r\n"u8).Length > 0)
            throw new JsonException($"Unexpected data after the JSON value, at byte {reader.BytesConsumed}.");
        return new Builder().Build(root);
    }

    /// <summary>Parses and indexes JSON text.</summary>
    /// <param name="json">The document's text.</param>
    /// <returns>The indexed document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="JsonException">The text is not one valid JSON value.</exception>
    public static IndexedDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Whether a non-null value exists at <paramref name="path"/>.</summary>
    /// <param name="path">A field path such as <c>specs.dims[0].mm</c>.</param>
    /// <returns><see cref="DocumentStatus.Ok"/>, <see cref="DocumentStatus.NotFound"/> or <see cref="DocumentStatus.BadPath"/>.</returns>
    public DocumentStatus Contains(string path)
    {
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        return Find(Utf8(path, buffer), out _);
    }

    /// <summary>Reads the integer at <paramref name="path"/>.</summary>
    /// <param name="path">A field path.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType (not a number or not an integer in range) or BadPath.</returns>
    public DocumentStatus TryGetInt64(string path, out long value)
    {
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        return TryGetInt64(Utf8(path, buffer), out value);
    }

    /// <summary>Reads the number at <paramref name="path"/>.</summary>
    /// <param name="path">A field path.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetDouble(string path, out double value)
    {
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        return TryGetDouble(Utf8(path, buffer), out value);
    }

    /// <summary>Reads the boolean at <paramref name="path"/>.</summary>
    /// <param name="path">A field path.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetBoolean(string path, out bool value)
    {
        value = false;
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        var status = Find(Utf8(path, buffer), out int index);
        if (status != DocumentStatus.Ok) return status;
        var kind = _fields[index].Kind;
        if (kind is not (JsonValueKind.True or JsonValueKind.False)) return DocumentStatus.WrongType;
        value = kind == JsonValueKind.True;
        return DocumentStatus.Ok;
    }

    /// <summary>Reads the string at <paramref name="path"/>.</summary>
    /// <param name="path">A field path.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetString(string path, out string? value)
    {
        value = null;
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        var status = TryGetUtf8(Utf8(path, buffer), out var bytes);
        if (status == DocumentStatus.Ok) value = Encoding.UTF8.GetString(bytes);
        return status;
    }

    /// <summary>Reads the length of the array at <paramref name="path"/>.</summary>
    /// <param name="path">A field path.</param>
    /// <param name="length">The length, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetArrayLength(string path, out int length)
    {
        Span<byte> buffer = stackalloc byte[StackPathBytes];
        return TryGetArrayLength(Utf8(path, buffer), out length);
    }

    /// <summary>Reads the integer at a UTF-8 path, without transcoding (e.g. a <c>"price"u8</c> literal).</summary>
    /// <param name="path">A field path in UTF-8.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetInt64(ReadOnlySpan<byte> path, out long value)
    {
        value = 0;
        var status = Find(path, out int index);
        if (status != DocumentStatus.Ok) return status;
        ref readonly var field = ref _fields[index];
        if (!field.HasInt64) return DocumentStatus.WrongType;
        value = field.Int64;
        return DocumentStatus.Ok;
    }

    /// <summary>Reads the number at a UTF-8 path, without transcoding.</summary>
    /// <param name="path">A field path in UTF-8.</param>
    /// <param name="value">The value, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetDouble(ReadOnlySpan<byte> path, out double value)
    {
        value = 0;
        var status = Find(path, out int index);
        if (status != DocumentStatus.Ok) return status;
        ref readonly var field = ref _fields[index];
        if (!field.HasDouble) return DocumentStatus.WrongType;
        value = field.Double;
        return DocumentStatus.Ok;
    }

    /// <summary>The unescaped UTF-8 bytes of the string at <paramref name="path"/>.</summary>
    internal DocumentStatus TryGetUtf8(ReadOnlySpan<byte> path, out ReadOnlySpan<byte> value)
    {
        value = default;
        var status = Find(path, out int index);
        if (status != DocumentStatus.Ok) return status;
        ref readonly var field = ref _fields[index];
        if (field.Kind != JsonValueKind.String) return DocumentStatus.WrongType;
        value = _bytes.AsSpan(field.ValueStart, field.ValueLength);
        return DocumentStatus.Ok;
    }

    /// <summary>Reads the length of the array at a UTF-8 path, without transcoding.</summary>
    /// <param name="path">A field path in UTF-8.</param>
    /// <param name="length">The length, when the status is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>Ok, NotFound, WrongType or BadPath.</returns>
    public DocumentStatus TryGetArrayLength(ReadOnlySpan<byte> path, out int length)
    {
        length = 0;
        var status = Find(path, out int index);
        if (status != DocumentStatus.Ok) return status;
        ref readonly var field = ref _fields[index];
        if (field.Kind != JsonValueKind.Array) return DocumentStatus.WrongType;
        length = field.ValueLength;
        return DocumentStatus.Ok;
    }

    /// <summary>Finds the non-null value at <paramref name="path"/>; Ok, NotFound or BadPath.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal DocumentStatus Find(ReadOnlySpan<byte> path, out int index)
    {
        if (Lookup(path, out index)) return _fields[index].Kind == JsonValueKind.Null ? DocumentStatus.NotFound : DocumentStatus.Ok;
        // A miss may still be a path spelled another way ("[01]" for "[1]"), or not a path at all.
        return FindSlow(path, out index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal JsonValueKind KindAt(int index) => _fields[index].Kind;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetInt64At(int index, out long value)
    {
        ref readonly var field = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fields), index);
        value = field.Int64;
        return field.HasInt64;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetDoubleAt(int index, out double value)
    {
        ref readonly var field = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fields), index);
        value = field.Double;
        return field.HasDouble;
    }

    /// <summary>The unescaped UTF-8 bytes of the string field at <paramref name="index"/>.</summary>
    internal ReadOnlySpan<byte> StringAt(int index)
    {
        ref readonly var field = ref _fields[index];
        return _bytes.AsSpan(field.ValueStart, field.ValueLength);
    }

    internal int ArrayLengthAt(int index) => _fields[index].ValueLength;

    /// <summary>
    /// The number (<see cref="long"/> or <see cref="double"/>) at a path of 4 to 16 bytes spelled
    /// canonically, for the host functions' hot path: <see langword="false"/> means "ask
    /// <see cref="TryGetInt64(ReadOnlySpan{byte}, out long)"/> or <see cref="TryGetDouble(ReadOnlySpan{byte}, out double)"/>",
    /// which also tell a missing field from a wrong type or a path spelled another way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetNumberQuick<T>(ref byte path, int length, out T value) where T : unmanaged
    {
        ref readonly var field = ref ProbeShort(ref path, length);
        if (!Unsafe.IsNullRef(in field))
        {
            if (typeof(T) == typeof(long) && field.HasInt64)
            {
                value = Unsafe.BitCast<long, T>(field.Int64);
                return true;
            }
            if (typeof(T) == typeof(double) && field.HasDouble)
            {
                value = Unsafe.BitCast<double, T>(field.Double);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The field stored under exactly these 4 to 16 bytes, or a null reference. Lean on purpose:
    /// no tail cases, no canonicalisation, and the two words decide equality without the hash.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly Field ProbeShort(ref byte path, int length)
    {
        ulong low, high;
        if ((uint)(length - 8) <= ShortPathBytes - 8)
        {
            low = Unsafe.ReadUnaligned<ulong>(ref path);
            high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref path, length - 8));
        }
        else if ((uint)(length - 4) <= 3)
        {
            low = Unsafe.ReadUnaligned<uint>(ref path) | (ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref path, length - 4)) << 32;
            high = 0;
        }
        else
        {
            return ref Unsafe.NullRef<Field>();
        }
        uint hash = ShortHash(low, high, length);
        ref Field table = ref MemoryMarshal.GetArrayDataReference(_fields);
        int mask = _mask;
        int bucket = (int)hash & mask;
        while (true)
        {
            ref readonly var field = ref Unsafe.Add(ref table, bucket);
            // Long paths keep zero words and empty buckets a zero length, so neither matches here.
            if (field.Low == low && field.High == high && field.PathLength == length) return ref field;
            if (field.PathLength == 0) return ref Unsafe.NullRef<Field>();
            bucket = (bucket + 1) & mask;
        }
    }

    private DocumentStatus FindSlow(ReadOnlySpan<byte> path, out int index)
    {
        index = -1;
        byte[]? rented = null;
        Span<byte> canonical = path.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(path.Length));
        try
        {
            var status = FieldPath.Canonicalize(path, canonical, out int length);
            if (status != DocumentStatus.Ok) return status;
            if (length == path.Length || !Lookup(canonical[..length], out index)) return DocumentStatus.NotFound;
            return _fields[index].Kind == JsonValueKind.Null ? DocumentStatus.NotFound : DocumentStatus.Ok;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Lookup(ReadOnlySpan<byte> path, out int index)
    {
        // Paths of up to 16 bytes (nearly all) are compared as two words computed with the hash, so a
        // hit touches one bucket and one field and never the path bytes.
        int length = path.Length;
        uint hash;
        ulong low = 0, high = 0;
        if (length <= ShortPathBytes)
        {
            ShortWords(ref MemoryMarshal.GetReference(path), length, out low, out high);
            hash = ShortHash(low, high, length);
        }
        else
        {
            hash = LongHash(path);
        }
        // _mask fits the table (fixed at build time), so the probe reads without bounds checks. The
        // table is at most half full, so an empty bucket always ends the probe.
        ref Field table = ref MemoryMarshal.GetArrayDataReference(_fields);
        int bucket = (int)hash & _mask;
        while (true)
        {
            ref readonly var field = ref Unsafe.Add(ref table, bucket);
            if (field.PathLength == 0)
            {
                index = -1;
                return false;
            }
            if (field.Hash == hash && field.PathLength == length &&
                (length <= ShortPathBytes
                    ? field.Low == low && field.High == high
                    : SameLongPath(field.PathStart, path)))
            {
                index = bucket;
                return true;
            }
            bucket = (bucket + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool SameLongPath(int start, ReadOnlySpan<byte> path) => _bytes.AsSpan(start, path.Length).SequenceEqual(path);

    /// <summary>
    /// Two words that together hold every byte of a path of up to 16 bytes: its first and last eight,
    /// overlapping for shorter ones. For one length, equal words mean equal bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortWords(ref byte start, int length, out ulong low, out ulong high)
    {
        if (length >= 8)
        {
            low = Unsafe.ReadUnaligned<ulong>(ref start);
            high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
        }
        else if (length >= 4)
        {
            low = Unsafe.ReadUnaligned<uint>(ref start) | (ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4)) << 32;
            high = 0;
        }
        else
        {
            low = length == 0 ? 0 : start | (uint)Unsafe.Add(ref start, length >> 1) << 8 | (uint)Unsafe.Add(ref start, length - 1) << 16;
            high = 0;
        }
    }

    /// <summary>Two independent multiplies: a short chain, since a field read waits for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ShortHash(ulong low, ulong high, int length)
    {
        ulong hash = ((low ^ HashSeed) * 0x9E3779B97F4A7C15) ^ (((high ^ ulong.RotateLeft(HashSeed, 32)) + (ulong)length) * 0xC2B2AE3D27D4EB4F);
        return (uint)(hash >> 32);
    }

    /// <summary>The path in UTF-8: in <paramref name="buffer"/> when it fits, so host reads allocate nothing.</summary>
    private static ReadOnlySpan<byte> Utf8(string path, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Encoding.UTF8.GetMaxByteCount(path.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(path, buffer)]
            : Encoding.UTF8.GetBytes(path);
    }

    /// <summary>
    /// The hash of paths longer than <see cref="ShortPathBytes"/>: a multiply-rotate over 8-byte words
    /// (the probe compares the full path anyway). The tail is read as two overlapping words.
    /// </summary>
    // Out of line: keeping the rare long-path code out of the field read keeps its frame small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint LongHash(ReadOnlySpan<byte> bytes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        ulong hash = HashSeed ^ ((ulong)bytes.Length * Multiplier);
        ref byte start = ref MemoryMarshal.GetReference(bytes);
        int length = bytes.Length;
        int offset = 0;
        for (; length - offset > 8; offset += 8)
            hash = ulong.RotateLeft((hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset))) * Multiplier, 29);
        int rest = length - offset;
        ulong tail;
        if (rest >= 4)
        {
            tail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, offset)) |
                (ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4)) << 32;
        }
        else if (rest > 0)
        {
            tail = Unsafe.Add(ref start, offset) | (uint)Unsafe.Add(ref start, offset + (rest >> 1)) << 8 |
                (uint)Unsafe.Add(ref start, length - 1) << 16;
        }
        else
        {
            tail = 0;
        }
        hash = (hash ^ tail) * Multiplier;
        return (uint)(hash >> 32) ^ (uint)hash;
    }

    /// <summary>One indexed value. Numbers keep both readings, decided once at build time.</summary>
    private struct Field
    {
        // For paths of up to 16 bytes, their bytes as ShortWords gives them.
        public ulong Low;
        public ulong High;
        public int PathStart;
        public int PathLength;
        public uint Hash;
        public JsonValueKind Kind;
        public bool HasInt64;
        public bool HasDouble;
        public long Int64;
        public double Double;
        // A string's unescaped bytes in _bytes; for an array, ValueLength is its length.
        public int ValueStart;
        public int ValueLength;
    }

    /// <summary>Walks the document once, appending paths and strings to one byte buffer.</summary>
    private sealed class Builder
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(256);
        private readonly List<Field> _fields = [];
        private byte[] _path = new byte[64];

        public IndexedDocument Build(JsonElement root)
        {
            Visit(root, 0);
            int size = 4;
            while (size < _fields.Count * 2) size <<= 1;
            var table = new Field[size];
            var bytes = _bytes.WrittenSpan.ToArray();
            int count = 0;
            foreach (var field in _fields)
            {
                int bucket = (int)field.Hash & (size - 1);
                // A path seen again (duplicate property names) replaces the earlier value.
                while (table[bucket].PathLength != 0 && !SamePath(bytes, table[bucket], field))
                    bucket = (bucket + 1) & (size - 1);
                if (table[bucket].PathLength == 0) count++;
                table[bucket] = field;
            }
            return new IndexedDocument(root, bytes, table, count);
        }

        private static bool SamePath(byte[] bytes, in Field a, in Field b) =>
            a.Hash == b.Hash && bytes.AsSpan(a.PathStart, a.PathLength).SequenceEqual(bytes.AsSpan(b.PathStart, b.PathLength));

        private void Visit(JsonElement element, int pathLength)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                // Names are read from their raw bytes (lone surrogates become U+FFFD, where Name would throw).
                // With duplicate names, the value the JsonElement returns (the last) must win with its
                // whole subtree, so each name is walked once, with its last value.
                var properties = new List<(string Name, JsonElement Value)>();
                Dictionary<string, int>? positions = null;
                foreach (var property in element.EnumerateObject())
                {
                    string name = NameOf(property);
                    positions ??= new Dictionary<string, int>(StringComparer.Ordinal);
                    if (positions.TryGetValue(name, out int at)) properties[at] = (name, property.Value);
                    else
                    {
                        positions.Add(name, properties.Count);
                        properties.Add((name, property.Value));
                    }
                }
                foreach (var (name, value) in properties)
                {
                    if (name.Length == 0 || name.AsSpan().IndexOfAny(".[]") >= 0) continue;
                    int length = AppendName(pathLength, name);
                    Add(value, length);
                    Visit(value, length);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    int length = AppendIndex(pathLength, index++);
                    Add(item, length);
                    Visit(item, length);
                }
            }
        }

        private static string NameOf(JsonProperty property)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw);
            byte[] scratch = ArrayPool<byte>.Shared.Rent(raw.Length);
            try
            {
                return Encoding.UTF8.GetString(scratch, 0, JsonStringUnescaper.Unescape(raw, scratch));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        private int AppendName(int pathLength, string name)
        {
            int needed = pathLength + 1 + Encoding.UTF8.GetMaxByteCount(name.Length);
            EnsurePath(needed);
            int length = pathLength;
            if (length > 0) _path[length++] = (byte)'.';
            return length + Encoding.UTF8.GetBytes(name, _path.AsSpan(length));
        }

        private int AppendIndex(int pathLength, int index)
        {
            EnsurePath(pathLength + 12);
            int length = pathLength;
            _path[length++] = (byte)'[';
            index.TryFormat(_path.AsSpan(length), out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
            length += digits;
            _path[length++] = (byte)']';
            return length;
        }

        private void EnsurePath(int length)
        {
            if (_path.Length < length) Array.Resize(ref _path, Math.Max(length, _path.Length * 2));
        }

        private void Add(JsonElement value, int pathLength)
        {
            var path = _path.AsSpan(0, pathLength);
            var field = new Field
            {
                PathStart = _bytes.WrittenCount,
                PathLength = pathLength,
                Kind = value.ValueKind,
            };
            if (pathLength <= ShortPathBytes)
            {
                ShortWords(ref MemoryMarshal.GetReference(path), pathLength, out field.Low, out field.High);
                field.Hash = ShortHash(field.Low, field.High, pathLength);
            }
            else
            {
                field.Hash = LongHash(path);
            }
            _bytes.Write(path);
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    field.HasInt64 = value.TryGetInt64(out field.Int64);
                    field.HasDouble = value.TryGetDouble(out field.Double);
                    break;
                case JsonValueKind.String:
                {
                    field.ValueStart = _bytes.WrittenCount;
                    var raw = JsonMarshal.GetRawUtf8Value(value);
                    var inner = raw[1..^1];
                    if (inner.IndexOf((byte)'\\') < 0)
                    {
                        _bytes.Write(inner);
                        field.ValueLength = inner.Length;
                    }
                    else
                    {
                        // Unescaping never lengthens a string; lone surrogates read as U+FFFD.
                        field.ValueLength = JsonStringUnescaper.Unescape(inner, _bytes.GetSpan(inner.Length));
                        _bytes.Advance(field.ValueLength);
                    }
                    break;
                }
                case JsonValueKind.Array:
                    field.ValueLength = value.GetArrayLength();
                    break;
            }
            _fields.Add(field);
        }
    }
}
