namespace WasmKit.Wasmtime.Reset;

/// <summary>A growable byte buffer that writes the module binary format.</summary>
internal sealed class ModuleBytesWriter
{
    private byte[] _buffer;

    public ModuleBytesWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    public void U32(uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            Byte(b);
        }
        while (value != 0);
    }

    public void S32(int value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            Byte(done ? b : (byte)(b | 0x80));
            if (done) return;
        }
    }

    /// <summary>Writes a vector's or section's contents preceded by their size.</summary>
    public void Sized(ModuleBytesWriter contents)
    {
        U32((uint)contents.Length);
        Bytes(contents.Written);
    }

    public byte[] ToArray() => Written.ToArray();

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
    }
}
