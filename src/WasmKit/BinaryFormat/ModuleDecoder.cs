namespace WasmKit.BinaryFormat;

/// <summary>
/// Decodes the WebAssembly binary format into a <see cref="ModuleDefinition"/>. It checks that the
/// module is well-formed (the error messages follow the spec interpreter's wording); whether it is
/// valid is the validator's concern.
/// </summary>
/// <remarks>
/// Like the spec interpreter, a non-custom section's content is read against the rest of the
/// module and its declared size is checked afterwards, so a section (or function body) whose size
/// is wrong reports the same error as there: "section size mismatch", or the error met by reading on.
/// </remarks>
internal static class ModuleDecoder
{
    /// <summary><c>\0asm</c>, read as a little-endian integer.</summary>
    private const uint Magic = 0x6D736100;

    private const uint Version = 1;

    private const string UnexpectedEnd = "unexpected end";

    private const string UnexpectedEndOfSection = "unexpected end of section or function";

    /// <summary>Decodes a whole module. Malformed input raises <see cref="WasmFormatException"/> with the offset.</summary>
    public static ModuleDefinition Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var module = new ModuleDefinition(bytes);
        var reader = new WasmReader(bytes, 0, bytes.Length);
        ReadHeader(ref reader);

        int lastOrder = 0;
        bool hasCode = false;
        bool hasData = false;
        while (!reader.AtEnd)
        {
            int sectionOffset = reader.Position;
            byte idByte = reader.ReadByte();
            if (idByte > SectionIdExtensions.MaximumId)
                throw WasmReader.Error(sectionOffset, $"malformed section id {idByte}");
            var id = (SectionId)idByte;
            int size = reader.ReadLength("section");
            int start = reader.Position;
            int end = start + size;

            if (id == SectionId.Custom)
            {
                ReadCustomSection(module, start, end);
            }
            else
            {
                int order = id.Order();
                if (order <= lastOrder)
                    throw WasmReader.Error(sectionOffset,
                        $"unexpected content after last section (junk after last section): the {id} section is repeated or out of order");
                lastOrder = order;
                hasCode |= id == SectionId.Code;
                hasData |= id == SectionId.Data;

                int contentEnd = ReadSection(module, id, start);
                if (contentEnd != end)
                    throw WasmReader.Error(start,
                        $"section size mismatch: the {id} section declares {size} bytes but its content takes {contentEnd - start}");
            }
            reader.Position = end;
        }

        if (!hasCode && module.FunctionTypeIndices.Count != 0)
            throw WasmReader.Error(bytes.Length, "function and code section have inconsistent lengths");
        if (!hasData && module.DataCount is uint declared && declared != 0)
            throw WasmReader.Error(bytes.Length, "data count and data section have inconsistent lengths");
        // Code may name data segments only after a data count section. A module without any data segment is left to
        // the validator ("unknown data segment"): wast2json drops the section from such text modules of the spec suite.
        if (module.DataCount is null && module.FirstDataIndexOffset >= 0 && module.Data.Count > 0)
            throw WasmReader.Error(module.FirstDataIndexOffset,
                "data count section required: memory.init or data.drop names a data segment, but the module has no data count section");
        return module;
    }

    private static void ReadHeader(ref WasmReader reader)
    {
        if (reader.Remaining < 4) throw WasmReader.Error(reader.End, UnexpectedEnd);
        if (reader.ReadUInt32LittleEndian() != Magic) throw WasmReader.Error(0, "magic header not detected");
        if (reader.Remaining < 4) throw WasmReader.Error(reader.End, UnexpectedEnd);
        uint version = reader.ReadUInt32LittleEndian();
        if (version != Version) throw WasmReader.Error(4, $"unknown binary version {version}");
    }

    private static void ReadCustomSection(ModuleDefinition module, int start, int end)
    {
        // Unlike the other sections, the custom section's name must lie within it.
        var reader = new WasmReader(module.Bytes, start, end);
        string name;
        try
        {
            name = reader.ReadName();
        }
        catch (WasmFormatException e) when (IsEndOfModule(e))
        {
            throw AsEndOfSection(e);
        }
        module.CustomSections.Add(new CustomSection(name, reader.Position, end));
        if (name == NameSectionReader.SectionName) NameSectionReader.Read(module, reader.Position, end);
    }

    /// <summary>Reads a non-custom section's content from <paramref name="start"/>; returns where it ends.</summary>
    private static int ReadSection(ModuleDefinition module, SectionId id, int start)
    {
        var reader = new WasmReader(module.Bytes, start, module.Bytes.Length);
        try
        {
            switch (id)
            {
                case SectionId.Type: ReadTypeSection(ref reader, module); break;
                case SectionId.Import: ReadImportSection(ref reader, module); break;
                case SectionId.Function: ReadFunctionSection(ref reader, module); break;
                case SectionId.Table: ReadTableSection(ref reader, module); break;
                case SectionId.Memory: ReadMemorySection(ref reader, module); break;
                case SectionId.Global: ReadGlobalSection(ref reader, module); break;
                case SectionId.Export: ReadExportSection(ref reader, module); break;
                case SectionId.Start: module.StartFunction = reader.ReadVarUInt32(); break;
                case SectionId.Element: ReadElementSection(ref reader, module); break;
                case SectionId.DataCount: module.DataCount = reader.ReadVarUInt32(); break;
                case SectionId.Code: ReadCodeSection(ref reader, module); break;
                case SectionId.Data: ReadDataSection(ref reader, module); break;
            }
        }
        catch (WasmFormatException e) when (IsEndOfModule(e))
        {
            throw AsEndOfSection(e);
        }
        return reader.Position;
    }

    private static bool IsEndOfModule(WasmFormatException e) =>
        e.Reason.Contains(UnexpectedEnd, StringComparison.Ordinal) &&
        !e.Reason.Contains(UnexpectedEndOfSection, StringComparison.Ordinal);

    /// <summary>Running out of bytes inside a section is, in the spec's words, an end of section.</summary>
    private static WasmFormatException AsEndOfSection(WasmFormatException e) =>
        new(e.Offset, e.Reason.Replace(UnexpectedEnd, UnexpectedEndOfSection, StringComparison.Ordinal));

    private static void ReadTypeSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("type");
        for (int i = 0; i < count; i++) module.Types.Add(reader.ReadFunctionType());
    }

    private static void ReadImportSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("import");
        for (int i = 0; i < count; i++)
        {
            int offset = reader.Position;
            string moduleName = reader.ReadName();
            string name = reader.ReadName();
            int kindOffset = reader.Position;
            byte kind = reader.ReadByte();
            uint typeIndex = 0;
            TableType table = default;
            MemoryType memory = default;
            GlobalType global = default;
            switch ((ExternalKind)kind)
            {
                case ExternalKind.Function: typeIndex = reader.ReadVarUInt32(); break;
                case ExternalKind.Table: table = reader.ReadTableType(); break;
                case ExternalKind.Memory: memory = reader.ReadMemoryType(); break;
                case ExternalKind.Global: global = reader.ReadGlobalType(); break;
                default: throw WasmReader.Error(kindOffset, $"malformed import kind {kind}");
            }
            module.AddImport(new ImportDefinition(moduleName, name, (ExternalKind)kind, typeIndex, table, memory, global, offset));
        }
    }

    private static void ReadFunctionSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("function");
        // Refused before any per-function work; the validator checks the same limit for hand-built definitions.
        if ((long)module.ImportedFunctionCount + count > ImplementationLimits.MaxFunctions)
            throw new WasmImplementationLimitException(nameof(ImplementationLimits.MaxFunctions), (long)module.ImportedFunctionCount + count, ImplementationLimits.MaxFunctions, "module");
        for (int i = 0; i < count; i++) module.FunctionTypeIndices.Add(reader.ReadVarUInt32());
    }

    private static void ReadTableSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("table");
        for (int i = 0; i < count; i++) module.Tables.Add(reader.ReadTableType());
    }

    private static void ReadMemorySection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("memory");
        for (int i = 0; i < count; i++) module.Memories.Add(reader.ReadMemoryType());
    }

    private static void ReadGlobalSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("global");
        for (int i = 0; i < count; i++)
        {
            var type = reader.ReadGlobalType();
            module.Globals.Add(new GlobalDefinition(type, ReadConstantExpression(ref reader)));
        }
    }

    private static void ReadExportSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("export");
        for (int i = 0; i < count; i++)
        {
            int offset = reader.Position;
            string name = reader.ReadName();
            int kindOffset = reader.Position;
            byte kind = reader.ReadByte();
            if (kind > (byte)ExternalKind.Global) throw WasmReader.Error(kindOffset, $"malformed export kind {kind}");
            module.Exports.Add(new ExportDefinition(name, (ExternalKind)kind, reader.ReadVarUInt32(), offset));
        }
    }

    private static void ReadElementSection(ref WasmReader reader, ModuleDefinition module)
    {
        int count = reader.ReadCount("element segment");
        for (int i = 0; i < count; i++) module.Elements.Add(ReadElementSegment(ref reader));
    }

    /// <summary>
    /// Reads one element segment. Its flags: bit 0 set means passive or declarative (bit 1 then
    /// tells which), clear means active (bit 1 then means an explicit table index); bit 2 means the
    /// items are expressions rather than function indices.
    /// </summary>
    private static ElementSegment ReadElementSegment(ref WasmReader reader)
    {
        int offset = reader.Position;
        uint flags = reader.ReadVarUInt32();
        if (flags > 7) throw WasmReader.Error(offset, $"malformed elements segment kind {flags}");
        bool nonActive = (flags & 1) != 0;
        bool tableOrDeclarative = (flags & 2) != 0;
        bool expressions = (flags & 4) != 0;

        var mode = !nonActive ? SegmentMode.Active : tableOrDeclarative ? SegmentMode.Declarative : SegmentMode.Passive;
        uint tableIndex = 0;
        ConstantExpression? tableOffset = null;
        if (mode == SegmentMode.Active)
        {
            if (tableOrDeclarative) tableIndex = reader.ReadVarUInt32();
            tableOffset = ReadConstantExpression(ref reader);
        }

        // Flags 0 and 4 imply funcref; the others state the element type.
        var elementKind = ValueKind.FuncRef;
        if ((flags & 3) != 0) elementKind = expressions ? reader.ReadReferenceType() : ReadElementKind(ref reader);

        int count = reader.ReadCount("element");
        ConstantExpression[] items = count == 0 ? [] : new ConstantExpression[count];
        for (int i = 0; i < items.Length; i++)
        {
            if (expressions)
            {
                items[i] = ReadConstantExpression(ref reader);
            }
            else
            {
                int itemOffset = reader.Position;
                items[i] = ConstantExpression.RefFunc(reader.ReadVarUInt32(), itemOffset);
            }
        }
        return new ElementSegment(mode, tableIndex, tableOffset, elementKind, items, offset);
    }

    /// <summary>The element kind of segments of function indices; 0x00 (funcref) is the only one.</summary>
    private static ValueKind ReadElementKind(ref WasmReader reader)
    {
        int offset = reader.Position;
        byte kind = reader.ReadByte();
        if (kind != 0x00) throw WasmReader.Error(offset, $"malformed element kind 0x{kind:x2}");
        return ValueKind.FuncRef;
    }

    private static void ReadCodeSection(ref WasmReader reader, ModuleDefinition module)
    {
        int countOffset = reader.Position;
        int count = reader.ReadCount("function body");
        if (count != module.FunctionTypeIndices.Count)
            throw WasmReader.Error(countOffset,
                $"function and code section have inconsistent lengths ({module.FunctionTypeIndices.Count} functions, {count} bodies)");
        for (int i = 0; i < count; i++) module.Bodies.Add(ReadFunctionBody(ref reader, module, module.ImportedFunctionCount + i));
    }

    private static FunctionBody ReadFunctionBody(ref WasmReader reader, ModuleDefinition module, int functionIndex)
    {
        int offset = reader.Position;
        int size = reader.ReadLength("function body");
        if (size > ImplementationLimits.MaxFunctionBodySize)
            throw new WasmImplementationLimitException(nameof(ImplementationLimits.MaxFunctionBodySize), size, ImplementationLimits.MaxFunctionBodySize, $"function {functionIndex}");
        int bodyStart = reader.Position;
        var locals = ReadLocals(ref reader, functionIndex);
        int codeStart = reader.Position;
        int codeEnd = ExpressionReader.ReadToEnd(reader.Bytes, codeStart, reader.End, instructions: null, out int dataIndexOffset);
        if (dataIndexOffset >= 0 && module.FirstDataIndexOffset < 0) module.FirstDataIndexOffset = dataIndexOffset;
        if (codeEnd != bodyStart + size)
            throw WasmReader.Error(bodyStart,
                $"section size mismatch: the function body declares {size} bytes but takes {codeEnd - bodyStart}");
        reader.Position = codeEnd;
        return new FunctionBody(locals, codeStart, codeEnd, offset);
    }

    private static ValueKind[] ReadLocals(ref WasmReader reader, int functionIndex)
    {
        int offset = reader.Position;
        int groupCount = reader.ReadCount("local declaration", minimumBytesPerItem: 2);
        if (groupCount == 0) return [];
        var groups = new (uint Count, ValueKind Kind)[groupCount];
        long total = 0;
        for (int i = 0; i < groups.Length; i++)
        {
            uint count = reader.ReadVarUInt32();
            groups[i] = (count, reader.ReadValueType());
            total += count;
        }
        // The binary format allows fewer than 2^32 locals; WasmKit's own limit is much lower.
        if (total > uint.MaxValue)
            throw WasmReader.Error(offset, $"too many locals: {total} declared, at most {uint.MaxValue} allowed");
        if (total > ImplementationLimits.MaxLocals)
            throw new WasmImplementationLimitException(nameof(ImplementationLimits.MaxLocals), total, ImplementationLimits.MaxLocals, $"function {functionIndex}");

        var locals = new ValueKind[total];
        int next = 0;
        foreach (var (count, kind) in groups)
        {
            locals.AsSpan(next, (int)count).Fill(kind);
            next += (int)count;
        }
        return locals;
    }

    private static void ReadDataSection(ref WasmReader reader, ModuleDefinition module)
    {
        int countOffset = reader.Position;
        int count = reader.ReadCount("data segment");
        if (module.DataCount is uint declared && declared != (uint)count)
            throw WasmReader.Error(countOffset,
                $"data count and data section have inconsistent lengths (data count {declared}, {count} segments)");
        for (int i = 0; i < count; i++) module.Data.Add(ReadDataSegment(ref reader));
    }

    /// <summary>Reads one data segment. Its flags: 0 active in memory 0, 1 passive, 2 active with an explicit memory index.</summary>
    private static DataSegment ReadDataSegment(ref WasmReader reader)
    {
        int offset = reader.Position;
        uint flags = reader.ReadVarUInt32();
        var mode = SegmentMode.Active;
        uint memoryIndex = 0;
        ConstantExpression? memoryOffset = null;
        switch (flags)
        {
            case 0:
                memoryOffset = ReadConstantExpression(ref reader);
                break;
            case 1:
                mode = SegmentMode.Passive;
                break;
            case 2:
                memoryIndex = reader.ReadVarUInt32();
                memoryOffset = ReadConstantExpression(ref reader);
                break;
            default:
                throw WasmReader.Error(offset, $"malformed data segment kind {flags}");
        }

        int lengthOffset = reader.Position;
        uint length = reader.ReadVarUInt32();
        if (length > (uint)reader.Remaining)
            throw WasmReader.Error(lengthOffset, $"{UnexpectedEndOfSection}: data segment length out of bounds ({length} bytes)");
        var data = new ReadOnlyMemory<byte>(reader.Bytes, reader.Position, (int)length);
        reader.Position += (int)length;
        return new DataSegment(mode, memoryIndex, memoryOffset, data, offset);
    }

    /// <summary>Reads a constant expression through its <c>end</c>. Whether it is constant is checked by the validator.</summary>
    private static ConstantExpression ReadConstantExpression(ref WasmReader reader)
    {
        int start = reader.Position;
        var instructions = new List<Instruction>(1);
        reader.Position = ExpressionReader.ReadToEnd(reader.Bytes, start, reader.End, instructions, out _);
        return new ConstantExpression(instructions.ToArray(), start);
    }
}
