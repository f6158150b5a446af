namespace WasmKit.BinaryFormat;

/// <summary>Reads the encodings of types: value, reference, function, table, memory and global types and limits.</summary>
internal static class TypeDecoding
{
    /// <summary>The byte that starts a function type.</summary>
    public const byte FunctionTypeForm = 0x60;

    public static ValueKind ReadValueType(this ref WasmReader reader)
    {
        int at = reader.Position;
        byte code = reader.ReadByte();
        if (InstructionReader.IsValueTypeCode(code)) return (ValueKind)code;
        throw MalformedTypeCode(at, code, "value type");
    }

    public static ValueKind ReadReferenceType(this ref WasmReader reader)
    {
        int at = reader.Position;
        byte code = reader.ReadByte();
        if (code is (byte)ValueKind.FuncRef or (byte)ValueKind.ExternRef) return (ValueKind)code;
        throw MalformedTypeCode(at, code, "reference type");
    }

    public static FunctionType ReadFunctionType(this ref WasmReader reader)
    {
        int at = reader.Position;
        byte form = reader.ReadByte();
        if (form != FunctionTypeForm) throw MalformedTypeCode(at, form, "function type");
        var parameters = reader.ReadValueTypes("parameter");
        var results = reader.ReadValueTypes("result");
        return new FunctionType(parameters, results);
    }

    public static Limits ReadLimits(this ref WasmReader reader)
    {
        int at = reader.Position;
        byte flags = reader.ReadByte();
        switch (flags)
        {
            case 0x00:
                return new Limits(reader.ReadVarUInt32(), null);
            case 0x01:
                uint minimum = reader.ReadVarUInt32();
                return new Limits(minimum, reader.ReadVarUInt32());
            default:
                // The spec reads the flags as a one-bit LEB128 integer, hence its wording.
                throw WasmReader.Error(at, (flags & 0x80) != 0
                    ? $"integer representation too long: malformed limits flags 0x{flags:x2}"
                    : $"integer too large: malformed limits flags 0x{flags:x2}");
        }
    }

    public static TableType ReadTableType(this ref WasmReader reader)
    {
        var elementKind = reader.ReadReferenceType();
        return new TableType(elementKind, reader.ReadLimits());
    }

    public static MemoryType ReadMemoryType(this ref WasmReader reader) => new(reader.ReadLimits());

    public static GlobalType ReadGlobalType(this ref WasmReader reader)
    {
        var kind = reader.ReadValueType();
        int at = reader.Position;
        byte mutability = reader.ReadByte();
        if (mutability > 1) throw WasmReader.Error(at, $"malformed mutability 0x{mutability:x2}");
        return new GlobalType(kind, mutability == 1);
    }

    private static ValueKind[] ReadValueTypes(this ref WasmReader reader, string what)
    {
        int count = reader.ReadCount(what);
        if (count == 0) return [];
        var kinds = new ValueKind[count];
        for (int i = 0; i < kinds.Length; i++) kinds[i] = reader.ReadValueType();
        return kinds;
    }

    /// <summary>
    /// The spec reads type codes as 7-bit signed LEB128 integers, so a code with the continuation
    /// bit set is an over-long integer there; say so, to match its wording.
    /// </summary>
    private static WasmFormatException MalformedTypeCode(int at, byte code, string what) =>
        WasmReader.Error(at, (code & 0x80) != 0
            ? $"integer representation too long: malformed {what} 0x{code:x2}"
            : $"malformed {what} 0x{code:x2}");
}
