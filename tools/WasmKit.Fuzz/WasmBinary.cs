namespace WasmKit.Fuzz;

/// <summary>
/// A module binary split into what the fuzzer's rewriters change: the function types, the function and code
/// sections, the exports; every other section is kept as raw bytes. Like <see cref="ModuleLayout"/>, it trusts its
/// input to be valid (wasm-opt wrote it and wasm-validate accepted it).
/// </summary>
public sealed class WasmBinary
{
    private const byte TypeSectionId = 1;
    private const byte ImportSectionId = 2;
    private const byte FunctionSectionId = 3;
    private const byte ExportSectionId = 7;
    private const byte CodeSectionId = 10;

    private readonly byte[] _header;

    /// <summary>Every section in order; the decoded ones are re-encoded by <see cref="ToBytes"/>.</summary>
    private readonly List<(byte Id, byte[] Payload)> _sections = [];

    private WasmBinary(byte[] bytes)
    {
        _header = bytes[..8];
        var reader = new WasmByteReader(bytes, 8);
        while (!reader.AtEnd)
        {
            byte id = reader.ReadByte();
            int size = (int)reader.ReadU32();
            byte[] payload = bytes[reader.Position..(reader.Position + size)];
            reader.Position += size;
            _sections.Add((id, payload));
            var section = new WasmByteReader(payload, 0);
            switch (id)
            {
                case TypeSectionId: ReadTypes(section); break;
                case ImportSectionId: ReadImports(section); break;
                case FunctionSectionId: ReadFunctions(section); break;
                case ExportSectionId: ReadExports(section); break;
                case CodeSectionId: ReadBodies(section); break;
            }
        }
    }

    /// <summary>The function types: parameter and result value type bytes.</summary>
    public List<(byte[] Parameters, byte[] Results)> Types { get; } = [];

    /// <summary>The type index of every function, imported ones first.</summary>
    public List<uint> FunctionTypes { get; } = [];

    /// <summary>How many of <see cref="FunctionTypes"/> are imports.</summary>
    public int ImportedFunctionCount { get; private set; }

    /// <summary>The defined functions' bodies: local declaration groups and the code through the final <c>end</c>.</summary>
    public List<(List<(uint Count, byte Type)> Locals, byte[] Code)> Bodies { get; } = [];

    /// <summary>The exports in order: name, kind byte and index.</summary>
    public List<(string Name, byte Kind, uint Index)> Exports { get; } = [];

    /// <summary>Reads a module binary.</summary>
    public static WasmBinary Read(byte[] bytes)
    {
        if (bytes.Length < 8) throw new FormatException("Not a WebAssembly module: shorter than its header.");
        return new WasmBinary(bytes);
    }

    /// <summary>The type index of a function type, added when the module does not have it yet.</summary>
    public uint TypeIndex(byte[] parameters, byte[] results)
    {
        int index = Types.FindIndex(t => t.Parameters.AsSpan().SequenceEqual(parameters) && t.Results.AsSpan().SequenceEqual(results));
        if (index >= 0) return (uint)index;
        Types.Add((parameters, results));
        return (uint)(Types.Count - 1);
    }

    /// <summary>Adds a defined function; returns its function index.</summary>
    public uint AddFunction(uint typeIndex, List<(uint Count, byte Type)> locals, byte[] code)
    {
        FunctionTypes.Add(typeIndex);
        Bodies.Add((locals, code));
        return (uint)(FunctionTypes.Count - 1);
    }

    /// <summary>The module with the decoded sections re-encoded (in the required order, added where missing).</summary>
    public byte[] ToBytes()
    {
        var output = new List<byte>(_header);
        var pending = new SortedSet<int>([Order(TypeSectionId), Order(FunctionSectionId), Order(ExportSectionId), Order(CodeSectionId)]);
        void WriteDecodedUpTo(int order)
        {
            while (pending.Count > 0 && pending.Min <= order)
            {
                int next = pending.Min;
                pending.Remove(next);
                byte id = (byte)(next / 10);
                if (Encode(id) is { } payload) WriteSection(output, id, payload);
            }
        }
        foreach (var (id, payload) in _sections)
        {
            if (id == 0)
            {
                WriteSection(output, id, payload);
                continue;
            }
            WriteDecodedUpTo(Order(id) - 1);
            if (pending.Remove(Order(id)))
            {
                if (Encode(id) is { } encoded) WriteSection(output, id, encoded);
                continue;
            }
            WriteSection(output, id, payload);
        }
        WriteDecodedUpTo(int.MaxValue);
        return [.. output];
    }

    // The binary format's section order; data count (12) sits between element (9) and code (10).
    private static int Order(byte id) => id == 12 ? 95 : id * 10;

    /// <summary>The payload of a decoded section, or null when it would be empty and can be left out.</summary>
    private List<byte>? Encode(byte id)
    {
        var payload = new List<byte>();
        switch (id)
        {
            case TypeSectionId:
                if (Types.Count == 0) return null;
                WasmByteWriter.U32(payload, (uint)Types.Count);
                foreach (var (parameters, results) in Types)
                {
                    payload.Add(0x60);
                    WasmByteWriter.U32(payload, (uint)parameters.Length);
                    payload.AddRange(parameters);
                    WasmByteWriter.U32(payload, (uint)results.Length);
                    payload.AddRange(results);
                }
                return payload;
            case FunctionSectionId:
                if (Bodies.Count == 0) return null;
                WasmByteWriter.U32(payload, (uint)Bodies.Count);
                foreach (uint type in FunctionTypes.Skip(ImportedFunctionCount)) WasmByteWriter.U32(payload, type);
                return payload;
            case ExportSectionId:
                if (Exports.Count == 0) return null;
                WasmByteWriter.U32(payload, (uint)Exports.Count);
                foreach (var (name, kind, index) in Exports)
                {
                    WasmByteWriter.Name(payload, name);
                    payload.Add(kind);
                    WasmByteWriter.U32(payload, index);
                }
                return payload;
            case CodeSectionId:
                if (Bodies.Count == 0) return null;
                WasmByteWriter.U32(payload, (uint)Bodies.Count);
                foreach (var (locals, code) in Bodies)
                {
                    var body = new List<byte>();
                    WasmByteWriter.U32(body, (uint)locals.Count);
                    foreach (var (count, type) in locals)
                    {
                        WasmByteWriter.U32(body, count);
                        body.Add(type);
                    }
                    body.AddRange(code);
                    WasmByteWriter.U32(payload, (uint)body.Count);
                    payload.AddRange(body);
                }
                return payload;
            default:
                throw new ArgumentOutOfRangeException(nameof(id), id, "not a decoded section");
        }
    }

    private static void WriteSection(List<byte> output, byte id, IReadOnlyCollection<byte> payload)
    {
        output.Add(id);
        WasmByteWriter.U32(output, (uint)payload.Count);
        output.AddRange(payload);
    }

    private void ReadTypes(WasmByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            byte form = reader.ReadByte();
            if (form != 0x60) throw new FormatException($"Type {i} is not a function type (0x{form:x2}).");
            var parameters = reader.ReadBytes((int)reader.ReadU32());
            var results = reader.ReadBytes((int)reader.ReadU32());
            Types.Add((parameters, results));
        }
    }

    private void ReadImports(WasmByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            reader.ReadName();
            reader.ReadName();
            byte kind = reader.ReadByte();
            switch (kind)
            {
                case 0x00:
                    FunctionTypes.Add(reader.ReadU32());
                    ImportedFunctionCount++;
                    break;
                case 0x01:
                    reader.ReadByte();
                    ReadLimits(reader);
                    break;
                case 0x02:
                    ReadLimits(reader);
                    break;
                case 0x03:
                    reader.ReadByte();
                    reader.ReadByte();
                    break;
                default:
                    throw new FormatException($"Unknown import kind 0x{kind:x2}.");
            }
        }
    }

    private static void ReadLimits(WasmByteReader reader)
    {
        byte flags = reader.ReadByte();
        reader.ReadU64();
        if ((flags & 1) != 0) reader.ReadU64();
    }

    private void ReadFunctions(WasmByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++) FunctionTypes.Add(reader.ReadU32());
    }

    private void ReadExports(WasmByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++) Exports.Add((reader.ReadName(), reader.ReadByte(), reader.ReadU32()));
    }

    private void ReadBodies(WasmByteReader reader)
    {
        uint count = reader.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            int size = (int)reader.ReadU32();
            int end = reader.Position + size;
            uint groups = reader.ReadU32();
            var locals = new List<(uint, byte)>();
            for (uint g = 0; g < groups; g++) locals.Add((reader.ReadU32(), reader.ReadByte()));
            Bodies.Add((locals, reader.ReadBytes(end - reader.Position)));
        }
    }
}
