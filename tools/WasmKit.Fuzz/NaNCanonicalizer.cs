namespace WasmKit.Fuzz;

/// <summary>
/// Makes every NaN in a module deterministic, so the two engines can be compared bit for bit. The spec leaves the
/// sign and payload of a NaN produced by arithmetic open (add, sub, mul, div, sqrt, min, max, ceil, floor, trunc,
/// nearest, promote, demote), while the other float operations (const, neg, abs, copysign, reinterpret, loads,
/// stores, select, calls) move bits exactly. After each of the former this rewriter inserts
/// <c>local.tee t; const +nan; local.get t; local.get t; eq; select</c>, which turns a NaN result into the positive
/// canonical NaN and leaves any other value alone; the latter are left as they are, so their NaN bits still count.
/// </summary>
public static class NaNCanonicalizer
{
    private const uint CanonicalNaN32 = 0x7FC00000;
    private const ulong CanonicalNaN64 = 0x7FF8000000000000;

    /// <summary>The module with every arithmetic NaN result made canonical.</summary>
    public static byte[] Canonicalize(byte[] wasm)
    {
        var module = WasmBinary.Read(wasm);
        for (int i = 0; i < module.Bodies.Count; i++)
        {
            var (locals, code) = module.Bodies[i];
            var (parameters, _) = module.Types[(int)module.FunctionTypes[module.ImportedFunctionCount + i]];
            uint first = (uint)parameters.Length + (uint)locals.Sum(group => (long)group.Count);
            uint f32Local = first, f64Local = first + 1;
            var rewritten = Rewrite(code, f32Local, f64Local, out bool changed);
            if (!changed) continue;
            module.Bodies[i] = ([.. locals, (1, 0x7D), (1, 0x7C)], rewritten);
        }
        return module.ToBytes();
    }

    private static byte[] Rewrite(byte[] code, uint f32Local, uint f64Local, out bool changed)
    {
        var output = new List<byte>(code.Length * 2);
        var reader = new WasmByteReader(code, 0);
        changed = false;
        while (!reader.AtEnd)
        {
            int start = reader.Position;
            byte opcode = reader.ReadByte();
            SkipImmediates(reader, opcode);
            output.AddRange(code.AsSpan(start, reader.Position - start));
            switch (ResultOfNondeterministicNaN(opcode))
            {
                case 0x7D:
                    AppendCanonicalization(output, f32Local, isF64: false);
                    changed = true;
                    break;
                case 0x7C:
                    AppendCanonicalization(output, f64Local, isF64: true);
                    changed = true;
                    break;
            }
        }
        return [.. output];
    }

    /// <summary>The result type (f32 0x7D, f64 0x7C) of an operation whose NaN results the spec leaves open, else 0.</summary>
    private static byte ResultOfNondeterministicNaN(byte opcode) => opcode switch
    {
        >= 0x8D and <= 0x97 => 0x7D, // f32 ceil, floor, trunc, nearest, sqrt, add, sub, mul, div, min, max
        >= 0x9B and <= 0xA5 => 0x7C, // f64 ceil .. max
        0xB6 => 0x7D,                // f32.demote_f64
        0xBB => 0x7C,                // f64.promote_f32
        _ => 0,
    };

    private static void AppendCanonicalization(List<byte> output, uint local, bool isF64)
    {
        output.Add(0x22); // local.tee
        WasmByteWriter.U32(output, local);
        if (isF64)
        {
            output.Add(0x44);
            output.AddRange(BitConverter.GetBytes(CanonicalNaN64));
        }
        else
        {
            output.Add(0x43);
            output.AddRange(BitConverter.GetBytes(CanonicalNaN32));
        }
        output.Add(0x20); // local.get
        WasmByteWriter.U32(output, local);
        output.Add(0x20);
        WasmByteWriter.U32(output, local);
        output.Add(isF64 ? (byte)0x61 : (byte)0x5B); // f64.eq / f32.eq: false only for NaN
        output.Add(0x1B); // select: the value when it equals itself, else the canonical NaN
    }

    /// <summary>Skips an instruction's immediates (WebAssembly 2.0 without SIMD).</summary>
    private static void SkipImmediates(WasmByteReader reader, byte opcode)
    {
        switch (opcode)
        {
            case 0x02 or 0x03 or 0x04: // block, loop, if: a block type (0x40, a value type, or an s33 type index)
                reader.ReadU64();
                break;
            case 0x0C or 0x0D or 0x10 or 0xD2: // br, br_if, call, ref.func
            case >= 0x20 and <= 0x26: // local.get/set/tee, global.get/set, table.get/set
            case 0x41 or 0x42: // i32.const, i64.const (signed LEB128; skipping reads the same bytes)
                reader.ReadU64();
                break;
            case 0x0E: // br_table
            {
                uint count = reader.ReadU32();
                for (uint i = 0; i <= count; i++) reader.ReadU32();
                break;
            }
            case 0x11: // call_indirect: type, table
                reader.ReadU32();
                reader.ReadU32();
                break;
            case 0x1C: // typed select
            {
                uint count = reader.ReadU32();
                reader.ReadBytes((int)count);
                break;
            }
            case >= 0x28 and <= 0x3E: // loads and stores: alignment, offset
                reader.ReadU32();
                reader.ReadU64();
                break;
            case 0x3F or 0x40: // memory.size, memory.grow: memory index
                reader.ReadU32();
                break;
            case 0x43:
                reader.ReadBytes(4);
                break;
            case 0x44:
                reader.ReadBytes(8);
                break;
            case 0xD0: // ref.null: heap type
                reader.ReadByte();
                break;
            case 0xFC:
                SkipMiscellaneous(reader);
                break;
            case 0xFD:
                throw new UnsupportedModuleException("SIMD instructions are not rewritten.");
        }
    }

    private static void SkipMiscellaneous(WasmByteReader reader)
    {
        uint sub = reader.ReadU32();
        switch (sub)
        {
            case <= 7: // saturating truncations
                break;
            case 8: // memory.init: data index, memory
            case 12: // table.init: element index, table
            case 14: // table.copy: two tables
                reader.ReadU32();
                reader.ReadU32();
                break;
            case 10: // memory.copy: two memories
                reader.ReadU32();
                reader.ReadU32();
                break;
            case 9 or 11 or 13 or 15 or 16 or 17: // data.drop, memory.fill, elem.drop, table.grow/size/fill
                reader.ReadU32();
                break;
            default:
                throw new UnsupportedModuleException($"Unknown instruction 0xfc {sub}.");
        }
    }
}
