using System.Text;

namespace WasmKit.Fuzz;

/// <summary>Reads the binary format's primitives (bytes, LEB128 integers, names) from a byte array.</summary>
public sealed class WasmByteReader(byte[] bytes, int position)
{
    /// <summary>The next byte to read.</summary>
    public int Position { get; set; } = position;

    /// <summary>Whether every byte has been read.</summary>
    public bool AtEnd => Position >= bytes.Length;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte()
    {
        if (Position >= bytes.Length) throw new FormatException("Unexpected end of module.");
        return bytes[Position++];
    }

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public byte[] ReadBytes(int count)
    {
        if (count < 0 || Position + count > bytes.Length) throw new FormatException("Unexpected end of module.");
        var result = bytes[Position..(Position + count)];
        Position += count;
        return result;
    }

    /// <summary>Reads an unsigned LEB128 integer of up to 32 bits.</summary>
    public uint ReadU32() => (uint)ReadU64();

    /// <summary>Reads an unsigned LEB128 integer; also skips a signed one of any width.</summary>
    public ulong ReadU64()
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = ReadByte();
            if (shift < 64) result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("LEB128 number too long.");
    }

    /// <summary>Reads a length-prefixed UTF-8 name.</summary>
    public string ReadName()
    {
        int length = (int)ReadU32();
        return Encoding.UTF8.GetString(ReadBytes(length));
    }
}
