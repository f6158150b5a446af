namespace WasmKit.Wasmtime.Reset;

/// <summary>
/// What <see cref="ResetInstrumentation"/> needs to know of a module's sections: each type's parameter count,
/// each defined function's type, the imported function and global counts, the defined globals, and that no
/// import or memory stands in the way of a reset in place.
/// </summary>
internal sealed class ModuleLayout
{
    public List<int> ParameterCounts { get; } = [];

    public List<uint> FunctionTypes { get; } = [];

    public uint ImportedFunctions { get; private set; }

    public uint ImportedGlobals { get; private set; }

    /// <summary>The defined globals' (type, mutability).</summary>
    public List<(byte Type, bool Mutable)> GlobalTypes { get; } = [];

    private int _memories;

    /// <summary>The start function's index, if the module has one.</summary>
    public uint? StartFunction { get; set; }

    /// <summary>The defined mutable globals: their global index and type.</summary>
    public List<(uint Index, byte Type)> MutableGlobals =>
        GlobalTypes.Select((g, i) => (g, Index: ImportedGlobals + (uint)i)).Where(x => x.g.Mutable).Select(x => (x.Index, x.g.Type)).ToList();

    public void ReadTypes(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            byte form = section.ReadByte();
            if (form != 0x60) throw new NotInstrumentableException($"type form 0x{form:x2}");
            uint parameters = section.ReadU32();
            for (uint p = 0; p < parameters; p++) RequireSimple(ref section);
            uint results = section.ReadU32();
            for (uint r = 0; r < results; r++) RequireSimple(ref section);
            ParameterCounts.Add((int)parameters);
        }
    }

    public void ReadImports(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            section.ReadBytes((int)section.ReadU32());
            section.ReadBytes((int)section.ReadU32());
            byte kind = section.ReadByte();
            switch (kind)
            {
                case 0:
                    section.ReadU32();
                    ImportedFunctions++;
                    break;
                case 3:
                    RequireSimple(ref section);
                    if (section.ReadByte() != 0) throw new NotInstrumentableException("an imported mutable global");
                    ImportedGlobals++;
                    break;
                case 4: // a tag
                    section.ReadByte();
                    section.ReadU32();
                    break;
                case 1: throw new NotInstrumentableException("an imported table");
                case 2: throw new NotInstrumentableException("an imported memory");
                default: throw new NotInstrumentableException($"import kind {kind}");
            }
        }
    }

    /// <summary>
    /// Refuses a module that exports one of the instrumentation's names itself: its instances could
    /// otherwise pass their own function off as the reset.
    /// </summary>
    public static void RefuseReservedExports(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            var name = section.ReadBytes((int)section.ReadU32());
            if (ResetInstrumentation.IsReserved(System.Text.Encoding.UTF8.GetString(name)))
                throw new NotInstrumentableException("an export with a reserved name");
            section.ReadByte();
            section.ReadU32();
        }
    }

    public void ReadFunctions(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++) FunctionTypes.Add(section.ReadU32());
    }

    public void ReadMemories(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            byte flags = section.ReadByte();
            if ((flags & ~1) != 0) throw new NotInstrumentableException("a shared, 64-bit or custom-page-size memory");
            section.ReadU32();
            if ((flags & 1) != 0) section.ReadU32();
            if (++_memories > 1) throw new NotInstrumentableException("more than one memory");
        }
    }

    public void ReadGlobals(ref ModuleBytesReader section)
    {
        uint count = section.ReadU32();
        for (uint i = 0; i < count; i++)
        {
            byte type = RequireSimple(ref section);
            bool mutable = section.ReadByte() != 0;
            SkipConstantExpression(ref section);
            GlobalTypes.Add((type, mutable));
        }
    }

    // Constant expressions: const, global.get, ref.null, ref.func and the extended-const arithmetic, up to end.
    private static void SkipConstantExpression(ref ModuleBytesReader section)
    {
        while (true)
        {
            byte op = section.ReadByte();
            switch (op)
            {
                case 0x0B: return;
                case 0x41: section.SkipSigned(5); break;
                case 0x42: section.SkipSigned(10); break;
                case 0x43: section.ReadBytes(4); break;
                case 0x44: section.ReadBytes(8); break;
                case 0x23 or 0xD2: section.ReadU32(); break;
                case 0xD0: section.ReadByte(); break;
                case 0x6A or 0x6B or 0x6C or 0x7C or 0x7D or 0x7E: break;
                case 0xFD:
                    if (section.ReadU32() != 12) throw new NotInstrumentableException("a vector constant expression");
                    section.ReadBytes(16);
                    break;
                default: throw new NotInstrumentableException($"constant expression opcode 0x{op:x2}");
            }
        }
    }

    private static byte RequireSimple(ref ModuleBytesReader section)
    {
        byte type = section.ReadByte();
        if (!ValueTypes.IsSimple(type)) throw new NotInstrumentableException($"value type 0x{type:x2}");
        return type;
    }
}
