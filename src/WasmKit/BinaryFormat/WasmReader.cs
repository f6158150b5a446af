using System.Buffers.Binary;
using System.Text;

namespace WasmKit.BinaryFormat;

/// <summary>
/// Reads the primitive encodings of the binary format (bytes, LEB128 integers, floats, names)
/// from a byte array. Every failure is a <see cref="WasmFormatException"/> carrying the offset.
/// </summary>
internal struct WasmReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _bytes;
    private int _position;
    private int _end;

    public WasmReader(byte[] bytes, int start, int end)
    {
        _bytes = bytes;
        _position = start;
        _end = end;
    }

    public readonly byte[] Bytes => _bytes;

    public int Position
    {
        readonly get => _position;
        set => _position = value;
    }

    /// <summary>One past the last byte this reader may read.</summary>
    public int End
    {
        readonly get => _end;
        set => _end = value;
    }

    public readonly bool AtEnd => _position >= _end;

    public readonly int Remaining => _end - _position;

    public static WasmFormatException Error(long offset, string message) => new(offset, message);

    public readonly WasmFormatException Error(string message) => new(_position, message);

    public byte ReadByte()
    {
        if (_position >= _end) throw Error(_end >= _bytes.Length ? "unexpected end" : "unexpected end of section or function");
        return _bytes[_position++];
    }

    public readonly byte PeekByte()
    {
        if (_position >= _end) throw Error("unexpected end");
        return _bytes[_position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw Error("unexpected end: length out of bounds");
        var span = new ReadOnlySpan<byte>(_bytes, _position, count);
        _position += count;
        return span;
    }

    public uint ReadUInt32LittleEndian() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public ulong ReadUInt64LittleEndian() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    public uint ReadVarUInt32()
    {
        int start = _position;
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                // Fifth byte: only the low 4 bits may carry value, and no continuation.
                if ((b & 0x80) != 0) throw Error(start, "integer representation too long");
                if ((b & 0x70) != 0) throw Error(start, "integer too large");
                return result | ((uint)b << 28);
            }
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    public int ReadVarInt32()
    {
        int start = _position;
        int result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Error(start, "integer representation too long");
                // The unused high bits must be a sign extension of bit 3.
                int high = b & 0x70;
                bool negative = (b & 0x08) != 0;
                if ((negative && high != 0x70) || (!negative && high != 0)) throw Error(start, "integer too large");
                return result | (b << 28);
            }
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int used = shift + 7;
                if ((b & 0x40) != 0) result |= -1 << used;
                return result;
            }
        }
    }

    public long ReadVarInt64()
    {
        int start = _position;
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63)
            {
                if ((b & 0x80) != 0) throw Error(start, "integer representation too long");
                // Only bit 0 is significant; the rest must be a sign extension of it.
                if (b != 0 && b != 0x7F) throw Error(start, "integer too large");
                return result | ((long)(b & 1) << 63);
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int used = shift + 7;
                if ((b & 0x40) != 0 && used < 64) result |= -1L << used;
                return result;
            }
        }
    }

    /// <summary>Reads a signed 33-bit integer (block types), returned in a <see cref="long"/>.</summary>
    public long ReadVarInt33()
    {
        int start = _position;
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Error(start, "integer representation too long");
                // 33 bits: bits 0..4 of this byte are significant, the rest extend bit 4.
                int high = b & 0x60;
                bool negative = (b & 0x10) != 0;
                if ((negative && high != 0x60) || (!negative && high != 0)) throw Error(start, "integer too large");
                result |= (long)(b & 0x7F) << 28;
                if (negative) result |= -1L << 35;
                return result;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int used = shift + 7;
                if ((b & 0x40) != 0) result |= -1L << used;
                return result;
            }
        }
    }

    /// <summary>Reads a length prefix that must also fit in the remaining bytes.</summary>
    public int ReadLength(string what)
    {
        int start = _position;
        uint length = ReadVarUInt32();
        if (length > (uint)Remaining) throw Error(start, $"{what} length out of bounds: unexpected end");
        return (int)length;
    }

    /// <summary>Reads a vector count. Each element takes at least one byte, so a count beyond the remaining bytes is malformed.</summary>
    public int ReadCount(string what, int minimumBytesPerItem = 1)
    {
        int start = _position;
        uint count = ReadVarUInt32();
        if (minimumBytesPerItem > 0 && count > (uint)(Remaining / minimumBytesPerItem))
            throw Error(start, $"{what} count {count} exceeds the remaining bytes: unexpected end");
        return (int)count;
    }

    public string ReadName()
    {
        int start = _position;
        int length = ReadLength("name");
        var bytes = ReadBytes(length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(start, "malformed UTF-8 encoding");
        }
    }
}
