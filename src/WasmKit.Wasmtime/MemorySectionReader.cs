namespace WasmKit.Wasmtime;

/// <summary>
/// Reads every memory's limits from a module's bytes (imported ones first, then the memory section):
/// Wasmtime describes only imported and exported memories, and a memory limit applies to all of them.
/// Runs after Wasmtime has validated the module, so the bytes are well-formed.
/// </summary>
internal static class MemorySectionReader
{
    private const byte ImportSection = 2;
    private const byte MemorySection = 5;

    public static MemoryType[] Read(ReadOnlySpan<byte> module)
    {
        var memories = new List<MemoryType>();
        int position = 8;
        while (position < module.Length)
        {
            byte id = module[position++];
            int size = (int)ReadUnsigned(module, ref position);
            int end = position + size;
            var section = module[position..end];
            int at = 0;
            if (id == ImportSection) ReadImports(section, ref at, memories);
            else if (id == MemorySection)
            {
                ulong count = ReadUnsigned(section, ref at);
                for (ulong i = 0; i < count; i++) memories.Add(ReadMemoryLimits(section, ref at));
            }
            position = end;
        }
        return [.. memories];
    }

    private static void ReadImports(ReadOnlySpan<byte> section, ref int at, List<MemoryType> memories)
    {
        ulong count = ReadUnsigned(section, ref at);
        for (ulong i = 0; i < count; i++)
        {
            Skip(section, ref at, (int)ReadUnsigned(section, ref at));
            Skip(section, ref at, (int)ReadUnsigned(section, ref at));
            byte kind = section[at++];
            switch (kind)
            {
                case 0: ReadUnsigned(section, ref at); break;
                case 1:
                    ReadReferenceType(section, ref at);
                    ReadLimits(section, ref at, out _, out _);
                    break;
                case 2: memories.Add(ReadMemoryLimits(section, ref at)); break;
                case 3:
                    ReadValueType(section, ref at);
                    at++;
                    break;
                case 4:
                    at++;
                    ReadUnsigned(section, ref at);
                    break;
                default: throw new WasmFormatException(at, $"unknown import kind 0x{kind:x2}");
            }
        }
    }

    private static MemoryType ReadMemoryLimits(ReadOnlySpan<byte> section, ref int at)
    {
        ReadLimits(section, ref at, out ulong minimum, out ulong? maximum);
        return new MemoryType(new Limits((uint)Math.Min(minimum, uint.MaxValue), maximum is ulong max ? (uint)Math.Min(max, uint.MaxValue) : null));
    }

    private static void ReadLimits(ReadOnlySpan<byte> section, ref int at, out ulong minimum, out ulong? maximum)
    {
        byte flags = section[at++];
        minimum = ReadUnsigned(section, ref at);
        maximum = (flags & 1) != 0 ? ReadUnsigned(section, ref at) : null;
        // Custom page sizes: a page size exponent follows.
        if ((flags & 8) != 0) ReadUnsigned(section, ref at);
    }

    private static void ReadReferenceType(ReadOnlySpan<byte> section, ref int at)
    {
        byte type = section[at++];
        // (ref null? heaptype): a signed heap type follows.
        if (type is 0x63 or 0x64) ReadUnsigned(section, ref at);
    }

    private static void ReadValueType(ReadOnlySpan<byte> section, ref int at) => ReadReferenceType(section, ref at);

    private static void Skip(ReadOnlySpan<byte> section, ref int at, int length) => at += length;

    private static ulong ReadUnsigned(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = 0;
        int shift = 0;
        while (true)
        {
            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            shift += 7;
        }
    }
}
