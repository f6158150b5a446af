namespace WasmKit.Wasmtime.Reset;

/// <summary>
/// Rewrites a module so that an instance of it can be reset in place (<see cref="InPlaceReset"/>) instead of
/// re-instantiated: every memory write also widens a written range kept in two injected globals, every
/// mutable global gets a shadow global, and two exports are added: <see cref="CaptureExport"/> copies the
/// globals into their shadows and empties the range; <see cref="ResetExport"/> copies the shadows back,
/// empties the range and returns the range it emptied (low in the lower 32 bits, high in the upper), so the
/// host restores just those bytes of memory from its snapshot. The start function, if any, becomes the export
/// <see cref="StartExport"/>, which the backend calls right after instantiation: so host functions the start
/// function calls already see the instance's memory.
/// </summary>
/// <remarks>
/// Modules whose state a reset in place cannot restore stay as they are (their instances are reset by
/// re-instantiation): imported memories, tables or mutable globals; more than one memory, 64-bit or shared
/// memories; table mutation, <c>data.drop</c>, <c>elem.drop</c>; and whatever this rewriter does not know
/// (SIMD, atomics, exceptions, GC types).
/// </remarks>
internal static class ResetInstrumentation
{
    /// <summary>The reserved export that restores the globals and returns the written range.</summary>
    public const string ResetExport = "__wasmkit_reset";

    /// <summary>The reserved export that makes the globals' current values the ones a reset restores.</summary>
    public const string CaptureExport = "__wasmkit_capture";

    /// <summary>The reserved export the start function moves to.</summary>
    public const string StartExport = "__wasmkit_start";

    /// <summary>Whether an export name is one the instrumentation added (hidden from the module's interface).</summary>
    public static bool IsReserved(string name) => name is ResetExport or CaptureExport or StartExport;

    private const byte CustomSection = 0, TypeSection = 1, ImportSection = 2, FunctionSection = 3, MemorySection = 5,
        GlobalSection = 6, ExportSection = 7, StartSection = 8, CodeSection = 10;

    /// <summary>Rewrites <paramref name="module"/> (already validated); null with a reason when it cannot be reset in place.</summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> module, out string? reason)
    {
        try
        {
            reason = null;
            return Rewrite(module);
        }
        catch (NotInstrumentableException refused)
        {
            reason = refused.Message;
            return null;
        }
        catch (Exception unexpected) when (unexpected is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // Bytes Wasmtime has not validated yet may be malformed anywhere: Wasmtime reports them, not the rewriter.
            reason = "unreadable: " + unexpected.Message;
            return null;
        }
    }

    private static byte[] Rewrite(ReadOnlySpan<byte> module)
    {
        if (module.Length < 8) throw new NotInstrumentableException("no module header");
        var sections = new List<(byte Id, int Start, int End)>();
        var reader = new ModuleBytesReader(module) { Position = 8 };
        while (!reader.AtEnd)
        {
            byte id = reader.ReadByte();
            int size = (int)reader.ReadU32();
            int start = reader.Position;
            reader.ReadBytes(size);
            sections.Add((id, start, reader.Position));
        }

        var layout = new ModuleLayout();
        foreach (var (id, start, end) in sections)
        {
            var section = new ModuleBytesReader(module[start..end]);
            switch (id)
            {
                case TypeSection: layout.ReadTypes(ref section); break;
                case ImportSection: layout.ReadImports(ref section); break;
                case FunctionSection: layout.ReadFunctions(ref section); break;
                case MemorySection: layout.ReadMemories(ref section); break;
                case GlobalSection: layout.ReadGlobals(ref section); break;
                case StartSection: layout.StartFunction = section.ReadU32(); break;
                case ExportSection: ModuleLayout.RefuseReservedExports(ref section); break;
                case 4 or 9 or 11 or 12 or 13 or CustomSection or CodeSection: break;
                default: throw new NotInstrumentableException($"section {id}");
            }
        }

        uint globalCount = layout.ImportedGlobals + (uint)layout.GlobalTypes.Count;
        uint low = globalCount, high = globalCount + 1, firstShadow = globalCount + 2;
        uint typeCount = (uint)layout.ParameterCounts.Count;
        uint functionCount = layout.ImportedFunctions + (uint)layout.FunctionTypes.Count;
        var output = new ModuleBytesWriter(module.Length + module.Length / 2 + 256);
        output.Bytes(module[..8]);
        var pending = new SortedDictionary<int, (byte Id, Func<ModuleBytesWriter> Make)>
        {
            [Rank(TypeSection)] = (TypeSection, () => AppendTypes(default)),
            [Rank(FunctionSection)] = (FunctionSection, () => AppendFunctions(default, typeCount)),
            [Rank(GlobalSection)] = (GlobalSection, () => AppendGlobals(default, layout)),
            [Rank(ExportSection)] = (ExportSection, () => AppendExports(default, functionCount, layout.StartFunction)),
            [Rank(CodeSection)] = (CodeSection, () => AppendCode(default, layout, low, high, firstShadow)),
        };
        foreach (var (id, start, end) in sections)
        {
            var contents = module[start..end];
            if (id != CustomSection) EmitMissingBefore(Rank(id), pending, output);
            ModuleBytesWriter? rewritten = id switch
            {
                TypeSection => AppendTypes(contents),
                FunctionSection => AppendFunctions(contents, typeCount),
                GlobalSection => AppendGlobals(contents, layout),
                ExportSection => AppendExports(contents, functionCount, layout.StartFunction),
                CodeSection => AppendCode(contents, layout, low, high, firstShadow),
                _ => null,
            };
            if (id != CustomSection) pending.Remove(Rank(id));
            if (id == StartSection) continue;
            output.Byte(id);
            if (rewritten is null)
            {
                output.U32((uint)contents.Length);
                output.Bytes(contents);
            }
            else output.Sized(rewritten);
        }
        EmitMissingBefore(int.MaxValue, pending, output);
        return output.ToArray();
    }

    // The order sections must appear in (the tag section, 13, sits between memory and global; data count, 12, before code).
    private static int Rank(byte id) => id switch
    {
        13 => 55,
        12 => 95,
        _ => id * 10,
    };

    private static void EmitMissingBefore(int rank, SortedDictionary<int, (byte Id, Func<ModuleBytesWriter> Make)> pending, ModuleBytesWriter output)
    {
        foreach (var key in pending.Keys.Where(k => k < rank).ToArray())
        {
            var (id, make) = pending[key];
            pending.Remove(key);
            output.Byte(id);
            output.Sized(make());
        }
    }

    // Two types: () -> i64 for the reset export, () -> () for the capture export.
    private static ModuleBytesWriter AppendTypes(ReadOnlySpan<byte> contents)
    {
        var output = new ModuleBytesWriter(contents.Length + 16);
        var rest = CopyVector(contents, 2, output);
        output.Bytes(rest);
        output.Bytes([0x60, 0x00, 0x01, ValueTypes.I64]);
        output.Bytes([0x60, 0x00, 0x00]);
        return output;
    }

    private static ModuleBytesWriter AppendFunctions(ReadOnlySpan<byte> contents, uint typeCount)
    {
        var output = new ModuleBytesWriter(contents.Length + 16);
        output.Bytes(CopyVector(contents, 2, output));
        output.U32(typeCount);
        output.U32(typeCount + 1);
        return output;
    }

    // The range globals (low starts past every address, high at 0), then one shadow per mutable global.
    private static ModuleBytesWriter AppendGlobals(ReadOnlySpan<byte> contents, ModuleLayout layout)
    {
        var mutable = layout.MutableGlobals;
        var output = new ModuleBytesWriter(contents.Length + 16 + mutable.Count * 8);
        output.Bytes(CopyVector(contents, (uint)(2 + mutable.Count), output));
        output.Bytes([ValueTypes.I32, 0x01, 0x41, 0x7F, 0x0B]);
        output.Bytes([ValueTypes.I32, 0x01, 0x41, 0x00, 0x0B]);
        foreach (var (_, type) in mutable)
        {
            output.Byte(type);
            output.Byte(0x01);
            output.Bytes(ZeroOf(type));
            output.Byte(0x0B);
        }
        return output;
    }

    private static ModuleBytesWriter AppendExports(ReadOnlySpan<byte> contents, uint functionCount, uint? start)
    {
        var output = new ModuleBytesWriter(contents.Length + 64);
        output.Bytes(CopyVector(contents, start is null ? 2u : 3u, output));
        Export(output, ResetExport, functionCount);
        Export(output, CaptureExport, functionCount + 1);
        if (start is uint function) Export(output, StartExport, function);
        return output;

        static void Export(ModuleBytesWriter output, string name, uint function)
        {
            output.U32((uint)name.Length);
            foreach (char c in name) output.Byte((byte)c);
            output.Byte(0x00);
            output.U32(function);
        }
    }

    private static ModuleBytesWriter AppendCode(ReadOnlySpan<byte> contents, ModuleLayout layout,
        uint low, uint high, uint firstShadow)
    {
        var output = new ModuleBytesWriter(contents.Length * 2 + 64);
        var instrumenter = new FunctionBodyInstrumenter(low, high);
        if (!contents.IsEmpty)
        {
            var reader = new ModuleBytesReader(contents);
            uint count = reader.ReadU32();
            if (count != layout.FunctionTypes.Count) throw new NotInstrumentableException("function and code sections disagree");
            output.U32(count + 2);
            for (int i = 0; i < count; i++)
            {
                int size = (int)reader.ReadU32();
                var body = reader.ReadBytes(size);
                uint type = layout.FunctionTypes[i];
                if (type >= layout.ParameterCounts.Count) throw new NotInstrumentableException("function type out of range");
                instrumenter.Rewrite(body, layout.ParameterCounts[(int)type], output);
            }
        }
        else output.U32(2);
        var mutable = layout.MutableGlobals;

        // reset: result = low | high << 32; empty the range; globals = shadows.
        var reset = new ModuleBytesWriter();
        reset.Byte(0x00);
        reset.Byte(0x23); reset.U32(low);
        reset.Byte(0xAD); // i64.extend_i32_u
        reset.Byte(0x23); reset.U32(high);
        reset.Byte(0xAD);
        reset.Bytes([0x42, 0x20, 0x86, 0x84]); // i64.const 32, i64.shl, i64.or
        EmptyRange(reset, low, high);
        for (int i = 0; i < mutable.Count; i++)
        {
            reset.Byte(0x23); reset.U32(firstShadow + (uint)i);
            reset.Byte(0x24); reset.U32(mutable[i].Index);
        }
        reset.Byte(0x0B);
        output.Sized(reset);

        // capture: shadows = globals; empty the range.
        var capture = new ModuleBytesWriter();
        capture.Byte(0x00);
        for (int i = 0; i < mutable.Count; i++)
        {
            capture.Byte(0x23); capture.U32(mutable[i].Index);
            capture.Byte(0x24); capture.U32(firstShadow + (uint)i);
        }
        EmptyRange(capture, low, high);
        capture.Byte(0x0B);
        output.Sized(capture);
        return output;

        static void EmptyRange(ModuleBytesWriter output, uint low, uint high)
        {
            output.Bytes([0x41, 0x7F, 0x24]); output.U32(low);  // low = 0xFFFFFFFF
            output.Bytes([0x41, 0x00, 0x24]); output.U32(high); // high = 0
        }
    }

    /// <summary>Writes the vector's new count (an empty <paramref name="contents"/>: the section is absent) (old + <paramref name="added"/>) and returns its old entries to copy as they are.</summary>
    private static ReadOnlySpan<byte> CopyVector(ReadOnlySpan<byte> contents, uint added, ModuleBytesWriter output)
    {
        if (contents.IsEmpty)
        {
            output.U32(added);
            return default;
        }
        var reader = new ModuleBytesReader(contents);
        uint count = reader.ReadU32();
        output.U32(count + added);
        return contents[reader.Position..];
    }

    private static byte[] ZeroOf(byte type) => type switch
    {
        ValueTypes.I32 => [0x41, 0x00],
        ValueTypes.I64 => [0x42, 0x00],
        ValueTypes.F32 => [0x43, 0, 0, 0, 0],
        ValueTypes.F64 => [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
        ValueTypes.V128 => [0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        _ => [0xD0, type],
    };
}
