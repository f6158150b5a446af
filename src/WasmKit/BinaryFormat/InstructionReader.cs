namespace WasmKit.BinaryFormat;

/// <summary>
/// Decodes instructions one at a time from a code range. Shared by the decoder (well-formedness),
/// the validator and the compiler, so the three always agree on the encoding.
/// </summary>
internal struct InstructionReader
{
    private WasmReader _reader;
    private uint[] _targets;
    private int _targetCount;

    public InstructionReader(byte[] bytes, int start, int end)
    {
        _reader = new WasmReader(bytes, start, end);
        _targets = new uint[8];
        _targetCount = 0;
    }

    public readonly int Position => _reader.Position;

    public readonly bool AtEnd => _reader.AtEnd;

    /// <summary>The label targets of the last <c>br_table</c> read (without its default, which is in <see cref="Instruction.Index"/>).</summary>
    public readonly ReadOnlySpan<uint> BranchTargets => new(_targets, 0, _targetCount);

    public Instruction Read()
    {
        var ins = default(Instruction);
        ins.Offset = _reader.Position;
        byte b = _reader.ReadByte();
        switch (b)
        {
            case 0xFC:
                ReadMiscellaneous(ref ins);
                return ins;
            case 0xFD:
                ReadSimd(ref ins);
                return ins;
        }

        var op = (Opcode)b;
        ins.Opcode = op;
        switch (op)
        {
            case Opcode.Unreachable:
            case Opcode.Nop:
            case Opcode.Else:
            case Opcode.End:
            case Opcode.Return:
            case Opcode.Drop:
            case Opcode.Select:
            case Opcode.RefIsNull:
                break;

            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                ins.BlockType = ReadBlockType();
                break;

            case Opcode.Br:
            case Opcode.BrIf:
            case Opcode.Call:
            case Opcode.LocalGet:
            case Opcode.LocalSet:
            case Opcode.LocalTee:
            case Opcode.GlobalGet:
            case Opcode.GlobalSet:
            case Opcode.TableGet:
            case Opcode.TableSet:
            case Opcode.RefFunc:
                ins.Index = _reader.ReadVarUInt32();
                break;

            case Opcode.BrTable:
            {
                int count = _reader.ReadCount("br_table target");
                if (_targets.Length < count) _targets = new uint[Math.Max(count, _targets.Length * 2)];
                for (int i = 0; i < count; i++) _targets[i] = _reader.ReadVarUInt32();
                _targetCount = count;
                ins.Index = _reader.ReadVarUInt32();
                break;
            }

            case Opcode.CallIndirect:
                ins.Index = _reader.ReadVarUInt32();
                ins.Index2 = _reader.ReadVarUInt32();
                break;

            case Opcode.SelectTyped:
            {
                int count = _reader.ReadCount("select type");
                ins.SelectTypeCount = count;
                for (int i = 0; i < count; i++)
                {
                    var t = ReadValueType();
                    if (i == 0) ins.ValueType = t;
                }
                break;
            }

            case >= Opcode.I32Load and <= Opcode.I64Store32:
                ReadMemoryArgument(ref ins);
                break;

            case Opcode.MemorySize:
            case Opcode.MemoryGrow:
                ReadZeroByte();
                break;

            case Opcode.I32Const:
                ins.Constant = _reader.ReadVarInt32();
                break;
            case Opcode.I64Const:
                ins.Constant = _reader.ReadVarInt64();
                break;
            case Opcode.F32Const:
                ins.Constant = _reader.ReadUInt32LittleEndian();
                break;
            case Opcode.F64Const:
                ins.Constant = (long)_reader.ReadUInt64LittleEndian();
                break;

            case >= Opcode.I32Eqz and <= Opcode.I64Extend32S:
                break;

            case Opcode.RefNull:
                ins.ValueType = ReadReferenceType();
                break;

            default:
                throw WasmReader.Error(ins.Offset, $"illegal opcode 0x{b:x2}");
        }
        return ins;
    }

    private void ReadMiscellaneous(ref Instruction ins)
    {
        uint sub = _reader.ReadVarUInt32();
        if (sub > 0x11) throw WasmReader.Error(ins.Offset, $"illegal opcode 0xfc {sub}");
        ins.Opcode = (Opcode)(0xFC00 | (int)sub);
        switch (ins.Opcode)
        {
            case Opcode.MemoryInit:
                ins.Index = _reader.ReadVarUInt32();
                ReadZeroByte();
                break;
            case Opcode.DataDrop:
            case Opcode.ElemDrop:
            case Opcode.TableGrow:
            case Opcode.TableSize:
            case Opcode.TableFill:
                ins.Index = _reader.ReadVarUInt32();
                break;
            case Opcode.MemoryCopy:
                ReadZeroByte();
                ReadZeroByte();
                break;
            case Opcode.MemoryFill:
                ReadZeroByte();
                break;
            case Opcode.TableInit:
                ins.Index = _reader.ReadVarUInt32();  // element segment
                ins.Index2 = _reader.ReadVarUInt32(); // table
                break;
            case Opcode.TableCopy:
                ins.Index = _reader.ReadVarUInt32();  // destination table
                ins.Index2 = _reader.ReadVarUInt32(); // source table
                break;
        }
    }

    private void ReadSimd(ref Instruction ins)
    {
        uint sub = _reader.ReadVarUInt32();
        if (sub > 0x113) throw WasmReader.Error(ins.Offset, $"illegal opcode 0xfd {sub}");
        ins.Opcode = (Opcode)((int)Opcode.SimdPrefix | (int)sub);
        switch (sub)
        {
            case <= 0x0B:
            case 0x5C:
            case 0x5D:
                ReadMemoryArgument(ref ins);
                break;
            case 0x0C: // v128.const
            case 0x0D: // i8x16.shuffle
                _reader.ReadBytes(16);
                break;
            case >= 0x15 and <= 0x22: // extract/replace lane
                _reader.ReadByte();
                break;
            case >= 0x54 and <= 0x5B: // load/store lane
                ReadMemoryArgument(ref ins);
                _reader.ReadByte();
                break;
        }
    }

    private void ReadMemoryArgument(ref Instruction ins)
    {
        ins.Index = _reader.ReadVarUInt32();
        ins.Index2 = _reader.ReadVarUInt32();
    }

    private void ReadZeroByte()
    {
        int at = _reader.Position;
        if (_reader.ReadByte() != 0) throw WasmReader.Error(at, "zero byte expected");
    }

    private BlockType ReadBlockType()
    {
        byte b = _reader.PeekByte();
        if (b == 0x40)
        {
            _reader.Position++;
            return BlockType.Empty;
        }
        if (IsValueTypeCode(b))
        {
            _reader.Position++;
            return BlockType.Value((ValueKind)b);
        }
        int at = _reader.Position;
        long index = _reader.ReadVarInt33();
        if (index < 0) throw WasmReader.Error(at, "malformed block type");
        return BlockType.Indexed((uint)index);
    }

    private ValueKind ReadValueType()
    {
        int at = _reader.Position;
        byte b = _reader.ReadByte();
        if (!IsValueTypeCode(b)) throw WasmReader.Error(at, $"malformed value type 0x{b:x2}");
        return (ValueKind)b;
    }

    private ValueKind ReadReferenceType()
    {
        int at = _reader.Position;
        byte b = _reader.ReadByte();
        if (b is not (0x70 or 0x6F)) throw WasmReader.Error(at, $"malformed reference type 0x{b:x2}");
        return (ValueKind)b;
    }

    public static bool IsValueTypeCode(byte b) => b is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F;
}
