namespace WasmKit.Wasmtime.Reset;

/// <summary>
/// Reads the module binary format for <see cref="ResetInstrumentation"/>: LEB128 numbers and raw bytes from a
/// span, throwing <see cref="NotInstrumentableException"/> on anything it does not expect (the module is
/// then compiled as it is, and reset by re-instantiation).
/// </summary>
internal ref struct ModuleBytesReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _bytes.Length;

    public readonly ReadOnlySpan<byte> Slice(int start, int end) => _bytes[start..end];

    public byte ReadByte()
    {
        if (Position >= _bytes.Length) throw new NotInstrumentableException("unexpected end of the module");
        return _bytes[Position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _bytes.Length - Position) throw new NotInstrumentableException("unexpected end of the module");
        var slice = _bytes.Slice(Position, count);
        Position += count;
        return slice;
    }

    public uint ReadU32()
    {
        ulong value = ReadUnsigned(5);
        if (value > uint.MaxValue) throw new NotInstrumentableException("integer too large");
        return (uint)value;
    }

    /// <summary>Skips a signed LEB128 of at most <paramref name="maximumBytes"/> bytes.</summary>
    public void SkipSigned(int maximumBytes) => ReadUnsigned(maximumBytes);

    private ulong ReadUnsigned(int maximumBytes)
    {
        ulong value = 0;
        for (int i = 0; i < maximumBytes; i++)
        {
            byte b = ReadByte();
            if (i < 9) value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw new NotInstrumentableException("integer representation too long");
    }
}
