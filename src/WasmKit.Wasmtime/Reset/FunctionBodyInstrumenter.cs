namespace WasmKit.Wasmtime.Reset;

/// <summary>
/// Rewrites one function body so that every instruction that writes linear memory first widens the
/// written range kept in two injected globals (lowest start, highest end; <c>memory.grow</c> sets the end past
/// every address, so a reset notices the growth), and refuses (throws
/// <see cref="NotInstrumentableException"/>) any instruction whose effect a reset in place cannot undo or
/// that it does not know: table mutation, <c>data.drop</c>/<c>elem.drop</c>, other memories, SIMD, atomics,
/// exceptions, GC. A store whose address wraps past 4 GiB records a wrong range, but such a store traps,
/// and a trapped instance is never reset.
/// </summary>
internal sealed class FunctionBodyInstrumenter(uint lowGlobal, uint highGlobal)
{
    // Scratch locals appended to every body: the address, the range bound, two more i32s, and a value of each other type.
    private const int ScratchI32 = 4;

    private uint _address, _bound, _first, _second, _i64, _f32, _f64;

    /// <summary>Rewrites a body (its locals and expression, without the size prefix) whose function has <paramref name="parameterCount"/> parameters.</summary>
    public void Rewrite(ReadOnlySpan<byte> body, int parameterCount, ModuleBytesWriter output)
    {
        var reader = new ModuleBytesReader(body);
        uint groups = reader.ReadU32();
        ulong locals = (ulong)parameterCount;
        var declarations = new ModuleBytesWriter();
        for (uint i = 0; i < groups; i++)
        {
            uint count = reader.ReadU32();
            byte type = reader.ReadByte();
            if (!ValueTypes.IsSimple(type)) throw new NotInstrumentableException($"local of type 0x{type:x2}");
            locals += count;
            declarations.U32(count);
            declarations.Byte(type);
        }
        if (locals + ScratchI32 + 3 > 50_000) throw new NotInstrumentableException("too many locals to add scratch ones");
        uint next = (uint)locals;
        _address = next++;
        _bound = next++;
        _first = next++;
        _second = next++;
        _i64 = next++;
        _f32 = next++;
        _f64 = next;
        var contents = new ModuleBytesWriter(body.Length * 2);
        contents.U32(groups + 4);
        contents.Bytes(declarations.Written);
        contents.U32(ScratchI32); contents.Byte(ValueTypes.I32);
        contents.U32(1); contents.Byte(ValueTypes.I64);
        contents.U32(1); contents.Byte(ValueTypes.F32);
        contents.U32(1); contents.Byte(ValueTypes.F64);
        RewriteExpression(ref reader, contents);
        output.Sized(contents);
    }

    private void RewriteExpression(ref ModuleBytesReader reader, ModuleBytesWriter output)
    {
        while (!reader.AtEnd)
        {
            int start = reader.Position;
            byte op = reader.ReadByte();
            switch (op)
            {
                case >= 0x36 and <= 0x3E:
                {
                    ReadMemoryArgument(ref reader, out uint offset);
                    InstrumentStore(op, offset, reader.Slice(start, reader.Position), output);
                    continue;
                }
                case 0xFC:
                {
                    uint sub = reader.ReadU32();
                    switch (sub)
                    {
                        case <= 7: break; // saturating truncations
                        case 8: // memory.init data 0
                            reader.ReadU32();
                            RequireMemoryZero(ref reader);
                            InstrumentRange(reader.Slice(start, reader.Position), output);
                            continue;
                        case 10: // memory.copy 0 0
                            RequireMemoryZero(ref reader);
                            RequireMemoryZero(ref reader);
                            InstrumentRange(reader.Slice(start, reader.Position), output);
                            continue;
                        case 11: // memory.fill 0
                            RequireMemoryZero(ref reader);
                            InstrumentRange(reader.Slice(start, reader.Position), output);
                            continue;
                        case 16: // table.size
                            reader.ReadU32();
                            break;
                        default:
                            throw new NotInstrumentableException(sub switch
                            {
                                9 => "data.drop",
                                13 => "elem.drop",
                                12 or 14 or 15 or 17 => "table mutation",
                                _ => $"instruction 0xfc {sub}",
                            });
                    }
                    break;
                }
                case 0x40: // memory.grow: then mark everything written, so the reset checks the memory's length
                    RequireMemoryZero(ref reader);
                    output.Bytes(reader.Slice(start, reader.Position));
                    I32Const(output, -1);
                    output.Byte(0x24);
                    output.U32(highGlobal);
                    continue;
                default:
                    SkipImmediates(op, ref reader);
                    break;
            }
            output.Bytes(reader.Slice(start, reader.Position));
        }
    }

    /// <summary>Skips the immediates of an instruction that does not write memory; refuses unknown ones.</summary>
    private static void SkipImmediates(byte op, ref ModuleBytesReader reader)
    {
        switch (op)
        {
            case 0x00 or 0x01 or 0x05 or 0x0B or 0x0F or 0x1A or 0x1B or 0xD1:
            case >= 0x45 and <= 0xC4:
                return;
            case 0x02 or 0x03 or 0x04:
                SkipBlockType(ref reader);
                return;
            case 0x0C or 0x0D or 0x10 or 0x12 or 0x14 or 0x15 or 0x20 or 0x21 or 0x22 or 0x23 or 0x24 or 0x25 or 0xD2:
                reader.ReadU32();
                return;
            case 0x0E:
            {
                uint count = reader.ReadU32();
                for (uint i = 0; i <= count; i++) reader.ReadU32();
                return;
            }
            case 0x11 or 0x13:
                reader.ReadU32();
                reader.ReadU32();
                return;
            case 0x1C:
            {
                uint count = reader.ReadU32();
                for (uint i = 0; i < count; i++)
                {
                    byte type = reader.ReadByte();
                    if (!ValueTypes.IsSimple(type)) throw new NotInstrumentableException($"select of type 0x{type:x2}");
                }
                return;
            }
            case >= 0x28 and <= 0x35:
                ReadMemoryArgument(ref reader, out _);
                return;
            case 0x3F:
                RequireMemoryZero(ref reader);
                return;
            case 0x41:
                reader.SkipSigned(5);
                return;
            case 0x42:
                reader.SkipSigned(10);
                return;
            case 0x43:
                reader.ReadBytes(4);
                return;
            case 0x44:
                reader.ReadBytes(8);
                return;
            case 0xD0:
            {
                byte heap = reader.ReadByte();
                if (heap is not (0x70 or 0x6F)) throw new NotInstrumentableException($"ref.null of heap type 0x{heap:x2}");
                return;
            }
            case 0x26:
                throw new NotInstrumentableException("table.set");
            default:
                throw new NotInstrumentableException($"instruction 0x{op:x2}");
        }
    }

    private static void SkipBlockType(ref ModuleBytesReader reader)
    {
        int at = reader.Position;
        byte first = reader.ReadByte();
        if (first == 0x40 || ValueTypes.IsSimple(first)) return;
        // A type index: a non-negative s33, whose first byte then has the sign bit (0x40) clear.
        if ((first & 0x40) != 0 && (first & 0x80) == 0) throw new NotInstrumentableException($"block type 0x{first:x2}");
        reader.Position = at;
        reader.SkipSigned(5);
    }

    private static void ReadMemoryArgument(ref ModuleBytesReader reader, out uint offset)
    {
        uint alignment = reader.ReadU32();
        if ((alignment & 0x40) != 0) throw new NotInstrumentableException("a memory other than the first");
        offset = reader.ReadU32();
    }

    private static void RequireMemoryZero(ref ModuleBytesReader reader)
    {
        if (reader.ReadByte() != 0) throw new NotInstrumentableException("a memory other than the first");
    }

    // [address, value] → remember both, widen the range by [address + offset, address + offset + size), store.
    private void InstrumentStore(byte op, uint offset, ReadOnlySpan<byte> store, ModuleBytesWriter output)
    {
        (uint value, int size) = op switch
        {
            0x36 => (_first, 4),
            0x37 => (_i64, 8),
            0x38 => (_f32, 4),
            0x39 => (_f64, 8),
            0x3A => (_first, 1),
            0x3B => (_first, 2),
            0x3C => (_i64, 1),
            0x3D => (_i64, 2),
            _ => (_i64, 4),
        };
        LocalSet(output, value);
        LocalSet(output, _address);
        // start = address + offset (wrapping: a store that wraps traps)
        LocalGet(output, _address);
        I32Const(output, unchecked((int)offset));
        output.Byte(0x6A); // i32.add
        LocalSet(output, _bound);
        WidenLow(output);
        // end = start + size
        LocalGet(output, _bound);
        I32Const(output, size);
        output.Byte(0x6A);
        LocalSet(output, _bound);
        WidenHigh(output);
        LocalGet(output, _address);
        LocalGet(output, value);
        output.Bytes(store);
    }

    // memory.fill/copy/init: [destination, x, length] → widen by [destination, destination + length), then run it.
    private void InstrumentRange(ReadOnlySpan<byte> instruction, ModuleBytesWriter output)
    {
        LocalSet(output, _second);
        LocalSet(output, _first);
        LocalSet(output, _address);
        LocalGet(output, _address);
        LocalSet(output, _bound);
        WidenLow(output);
        LocalGet(output, _address);
        LocalGet(output, _second);
        output.Byte(0x6A);
        LocalSet(output, _bound);
        WidenHigh(output);
        LocalGet(output, _address);
        LocalGet(output, _first);
        LocalGet(output, _second);
        output.Bytes(instruction);
    }

    // low = bound < low ? bound : low
    private void WidenLow(ModuleBytesWriter output) => Widen(output, lowGlobal, 0x49 /* i32.lt_u */);

    // high = bound > high ? bound : high
    private void WidenHigh(ModuleBytesWriter output) => Widen(output, highGlobal, 0x4B /* i32.gt_u */);

    private void Widen(ModuleBytesWriter output, uint global, byte comparison)
    {
        LocalGet(output, _bound);
        GlobalGet(output, global);
        LocalGet(output, _bound);
        GlobalGet(output, global);
        output.Byte(comparison);
        output.Byte(0x1B); // select
        output.Byte(0x24); // global.set
        output.U32(global);
    }

    private static void LocalGet(ModuleBytesWriter output, uint local)
    {
        output.Byte(0x20);
        output.U32(local);
    }

    private static void LocalSet(ModuleBytesWriter output, uint local)
    {
        output.Byte(0x21);
        output.U32(local);
    }

    private static void GlobalGet(ModuleBytesWriter output, uint global)
    {
        output.Byte(0x23);
        output.U32(global);
    }

    private static void I32Const(ModuleBytesWriter output, int value)
    {
        output.Byte(0x41);
        output.S32(value);
    }
}
