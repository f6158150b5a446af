using System.Text;

namespace WasmKit.Fuzz;

/// <summary>
/// The little of a module's binary layout the fuzzer needs: how many functions are imported and
/// defined, the function names binaryen would give them, and the raw sections so exports can be
/// added. It trusts its input to be valid (wasm-opt wrote it); WasmKit validates it properly.
/// </summary>
public sealed class ModuleLayout
{
    private const byte CustomSectionId = 0;
    private const byte ImportSectionId = 2;
    private const byte FunctionSectionId = 3;
    private const byte ExportSectionId = 7;

    private readonly byte[] _bytes;
    private readonly List<(byte Id, int Start, int End)> _sections = [];
    private readonly Dictionary<uint, string> _functionNames = [];

    private ModuleLayout(byte[] bytes)
    {
        _bytes = bytes;
        var reader = new ByteReader(bytes, 8);
        while (!reader.AtEnd)
        {
            byte id = reader.ReadByte();
            int size = (int)reader.ReadU32();
            int start = reader.Position;
            _sections.Add((id, start, start + size));
            var payload = new ByteReader(bytes, start);
            switch (id)
            {
                case ImportSectionId:
                    ReadImports(payload);
                    break;
                case FunctionSectionId:
                    DefinedFunctionCount = payload.ReadU32();
                    break;
                case ExportSectionId:
                    ReadExports(payload);
                    break;
                case CustomSectionId:
                    ReadCustom(payload, start + size);
                    break;
            }
            reader.Position = start + size;
        }
    }

    /// <summary>Functions imported; they come first in the function index space.</summary>
    public uint ImportedFunctionCount { get; private set; }

    /// <summary>Functions the module defines.</summary>
    public uint DefinedFunctionCount { get; private set; }

    /// <summary>The module's export names, in order.</summary>
    public List<string> ExportNames { get; } = [];

    /// <summary>Reads the layout of a module binary.</summary>
    public static ModuleLayout Read(byte[] bytes)
    {
        if (bytes.Length < 8) throw new FormatException("Not a WebAssembly module: shorter than its header.");
        return new ModuleLayout(bytes);
    }

    /// <summary>
    /// The name binaryen's interpreter prints for a function in <c>funcref(NAME)</c>: the name
    /// section's name, else <c>fimport$N</c> for the N-th imported function and the defined
    /// function's own index for the others (what binaryen 108 assigns when reading a binary).
    /// </summary>
    public string BinaryenFunctionName(uint functionIndex)
    {
        if (_functionNames.TryGetValue(functionIndex, out var name)) return name;
        return functionIndex < ImportedFunctionCount
            ? $"fimport${functionIndex}"
            : (functionIndex - ImportedFunctionCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A copy of the module that also exports every function under <paramref name="prefix"/> plus
    /// its index, so the host can tell which function a funcref result is. Exports do not change
    /// what the module computes.
    /// </summary>
    public byte[] WithFunctionExports(string prefix)
    {
        uint total = ImportedFunctionCount + DefinedFunctionCount;
        var added = new List<byte>();
        for (uint i = 0; i < total; i++)
        {
            WriteName(added, prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            added.Add(0x00); // function
            WriteU32(added, i);
        }

        var output = new List<byte>(_bytes.Length + added.Count + 16);
        output.AddRange(_bytes.AsSpan(0, 8).ToArray());
        bool written = false;
        foreach (var (id, start, end) in _sections)
        {
            if (!written && id == ExportSectionId)
            {
                var existing = new ByteReader(_bytes, start);
                uint count = existing.ReadU32();
                var payload = new List<byte>();
                WriteU32(payload, count + total);
                payload.AddRange(_bytes.AsSpan(existing.Position, end - existing.Position).ToArray());
                payload.AddRange(added);
                WriteSection(output, ExportSectionId, payload);
                written = true;
                continue;
            }
            if (!written && id != CustomSectionId && SectionOrder(id) > SectionOrder(ExportSectionId))
            {
                var payload = new List<byte>();
                WriteU32(payload, total);
                payload.AddRange(added);
                WriteSection(output, ExportSectionId, payload);
                written = true;
            }
            WriteSection(output, id, _bytes.AsSpan(start, end - start).ToArray());
        }
        if (!written)
        {
            var payload = new List<byte>();
            WriteU32(payload, total);
            payload.AddRange(added);
            WriteSection(output, ExportSectionId, payload);
        }
        return [.. output];
    }

    // The binary format's required order; data count (12) sits between element (9) and code (10).
    private static int SectionOrder(byte id) => id switch
    {
        12 => 95,
        _ => id * 10,
    };

    private void ReadImports(ByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            reader.ReadName();
            reader.ReadName();
            byte kind = reader.ReadByte();
            switch (kind)
            {
                case 0x00: // function: type index
                    reader.ReadU32();
                    ImportedFunctionCount++;
                    break;
                case 0x01: // table: reference type, limits
                    reader.ReadByte();
                    ReadLimits(reader);
                    break;
                case 0x02: // memory: limits
                    ReadLimits(reader);
                    break;
                case 0x03: // global: value type, mutability
                    reader.ReadByte();
                    reader.ReadByte();
                    break;
                default:
                    throw new FormatException($"Unknown import kind 0x{kind:x2}.");
            }
        }
    }

    private static void ReadLimits(ByteReader reader)
    {
        byte flags = reader.ReadByte();
        reader.ReadU64();
        if ((flags & 1) != 0) reader.ReadU64();
    }

    private void ReadExports(ByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            ExportNames.Add(reader.ReadName());
            reader.ReadByte();
            reader.ReadU32();
        }
    }

    private void ReadCustom(ByteReader reader, int end)
    {
        if (reader.ReadName() != "name") return;
        while (reader.Position < end)
        {
            byte subsection = reader.ReadByte();
            int size = (int)reader.ReadU32();
            int next = reader.Position + size;
            if (subsection == 1)
            {
                uint count = reader.ReadU32();
                for (uint i = 0; i < count; i++)
                {
                    uint index = reader.ReadU32();
                    _functionNames[index] = reader.ReadName();
                }
            }
            reader.Position = next;
        }
    }

    private static void WriteSection(List<byte> output, byte id, IReadOnlyCollection<byte> payload)
    {
        output.Add(id);
        WriteU32(output, (uint)payload.Count);
        output.AddRange(payload);
    }

    private static void WriteName(List<byte> output, string name)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        WriteU32(output, (uint)utf8.Length);
        output.AddRange(utf8);
    }

    private static void WriteU32(List<byte> output, uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            output.Add(b);
        }
        while (value != 0);
    }

    private sealed class ByteReader(byte[] bytes, int position)
    {
        public int Position { get; set; } = position;

        public bool AtEnd => Position >= bytes.Length;

        public byte ReadByte()
        {
            if (Position >= bytes.Length) throw new FormatException("Unexpected end of module.");
            return bytes[Position++];
        }

        public uint ReadU32() => (uint)ReadU64();

        public ulong ReadU64()
        {
            ulong result = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                byte b = ReadByte();
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new FormatException("LEB128 number too long.");
        }

        public string ReadName()
        {
            int length = (int)ReadU32();
            if (length < 0 || Position + length > bytes.Length) throw new FormatException("Name runs past the end of the module.");
            string name = Encoding.UTF8.GetString(bytes, Position, length);
            Position += length;
            return name;
        }
    }
}
