using System.Buffers.Binary;

namespace WasmKit.Wasi;

/// <summary>
/// The calling instance's memory seen through guest pointers (unsigned 32-bit): every access is
/// bounds-checked and a bad one raises EFAULT for the guest instead of a host exception.
/// Take it at the start of a WASI call; the call does not run guest code, so the memory cannot grow meanwhile.
/// </summary>
internal readonly ref struct GuestMemory
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Span<byte> _bytes;

    public GuestMemory(Caller caller)
    {
        _bytes = caller.Memory is Memory memory ? memory.GetSpan() : default;
    }

    /// <summary><paramref name="length"/> bytes at <paramref name="pointer"/>, both unsigned.</summary>
    public Span<byte> Slice(int pointer, int length) => Slice((uint)pointer, (uint)length);

    private Span<byte> Slice(ulong pointer, ulong length)
    {
        if (pointer + length > (ulong)_bytes.Length) throw new WasiErrnoException(Errno.Fault);
        return _bytes.Slice((int)pointer, (int)length);
    }

    /// <summary>Checks that an array of <paramref name="count"/> entries of <paramref name="entrySize"/> bytes fits, so loops over it end early on bad input.</summary>
    public void CheckArray(int pointer, int count, int entrySize) => Slice((uint)pointer, (ulong)(uint)count * (uint)entrySize);

    public int ReadInt32(int pointer) => BinaryPrimitives.ReadInt32LittleEndian(Slice(pointer, 4));

    public long ReadInt64(int pointer) => BinaryPrimitives.ReadInt64LittleEndian(Slice(pointer, 8));

    public ushort ReadUInt16(int pointer) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(pointer, 2));

    public byte ReadByte(int pointer) => Slice(pointer, 1)[0];

    public void WriteInt32(int pointer, int value) => BinaryPrimitives.WriteInt32LittleEndian(Slice(pointer, 4), value);

    public void WriteInt64(int pointer, long value) => BinaryPrimitives.WriteInt64LittleEndian(Slice(pointer, 8), value);

    public void WriteUInt16(int pointer, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(pointer, 2), value);

    public void WriteByte(int pointer, byte value) => Slice(pointer, 1)[0] = value;

    /// <summary>A guest string of <paramref name="length"/> UTF-8 bytes; invalid UTF-8 gives EILSEQ.</summary>
    public string ReadString(int pointer, int length)
    {
        var bytes = Slice(pointer, length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new WasiErrnoException(Errno.IllegalSequence);
        }
    }

    /// <summary>The span of the <paramref name="index"/>th <c>iovec</c> (pointer, length) of an array at <paramref name="iovecs"/>.</summary>
    public Span<byte> IoVector(int iovecs, int index)
    {
        var entry = Slice((uint)iovecs + (ulong)(uint)index * 8, 8);
        return Slice((uint)BinaryPrimitives.ReadInt32LittleEndian(entry), (uint)BinaryPrimitives.ReadInt32LittleEndian(entry[4..]));
    }

}
