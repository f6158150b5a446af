using System.Collections.Immutable;
using WasmKit.BinaryFormat;
using static WasmKit.Validation.ValidationMessages;

namespace WasmKit.Validation;

/// <summary>
/// Validates function bodies with the specification's validation algorithm (an operand stack of
/// value kinds with a polymorphic bottom after unconditional branches, and a control stack).
/// One instance serves every function of a module, so its stacks are allocated once.
/// </summary>
internal sealed class FunctionValidator
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind Unknown = OperandStack.Unknown;

    private static readonly ImmutableArray<ValueKind> SingleInt32 = [ValueKind.Int32];
    private static readonly ImmutableArray<ValueKind> SingleInt64 = [ValueKind.Int64];
    private static readonly ImmutableArray<ValueKind> SingleFloat32 = [ValueKind.Float32];
    private static readonly ImmutableArray<ValueKind> SingleFloat64 = [ValueKind.Float64];
    private static readonly ImmutableArray<ValueKind> SingleFuncRef = [ValueKind.FuncRef];
    private static readonly ImmutableArray<ValueKind> SingleExternRef = [ValueKind.ExternRef];

    private readonly ModuleDefinition _module;
    private readonly bool[] _declaredFunctions;
    private readonly OperandStack _operands = new();
    private ControlFrame[] _controls = new ControlFrame[16];
    private int _controlCount;
    private ValueKind[] _locals = new ValueKind[16];
    private int _localCount;
    private FunctionType _type = null!;
    private int _functionIndex;
    private int _offset;
    private long _valuesAcrossLabels;

    /// <param name="module">The module whose bodies to check; its index spaces must already be valid.</param>
    /// <param name="declaredFunctions">By function index: whether <c>ref.func</c> may name the function.</param>
    public FunctionValidator(ModuleDefinition module, bool[] declaredFunctions)
    {
        _module = module;
        _declaredFunctions = declaredFunctions;
    }

    /// <summary>Validates the body of defined function <paramref name="definedIndex"/> (0 is the first non-imported function).</summary>
    public void Validate(int definedIndex)
    {
        var body = _module.Bodies[definedIndex];
        _functionIndex = _module.ImportedFunctionCount + definedIndex;
        _offset = body.ByteOffset;
        _type = _module.GetFunctionType(_functionIndex);
        LoadLocals(body);
        if (_type.Results.Length > ImplementationLimits.MaxValuesPerLabel)
            throw LimitExceeded(nameof(ImplementationLimits.MaxValuesPerLabel), _type.Results.Length, ImplementationLimits.MaxValuesPerLabel);

        _operands.Clear();
        _controlCount = 0;
        _valuesAcrossLabels = 0;
        PushControl(Opcode.Block, ImmutableArray<ValueKind>.Empty, _type.Results);

        var reader = new InstructionReader(_module.Bytes, body.CodeStart, body.CodeEnd);
        while (_controlCount > 0)
        {
            if (reader.AtEnd) throw new WasmFormatException(reader.Position, "unexpected end of function: END opcode expected");
            var instruction = reader.Read();
            _offset = instruction.Offset;
            Check(in instruction, in reader);
        }
        if (!reader.AtEnd) throw new WasmFormatException(reader.Position, "operators remaining after end of function");
    }

    private void LoadLocals(FunctionBody body)
    {
        var parameters = _type.Parameters;
        var declared = body.Locals;
        if (declared.AsSpan().Contains(ValueKind.V128)) throw Error(SimdNotSupported);
        _localCount = parameters.Length + declared.Length;
        if (_localCount > ImplementationLimits.MaxLocals)
            throw LimitExceeded(nameof(ImplementationLimits.MaxLocals), _localCount, ImplementationLimits.MaxLocals);
        if (_locals.Length < _localCount) _locals = new ValueKind[Math.Max(_localCount, _locals.Length * 2)];
        parameters.AsSpan().CopyTo(_locals);
        declared.AsSpan().CopyTo(_locals.AsSpan(parameters.Length));
    }

    private void Check(in Instruction ins, in InstructionReader reader)
    {
        if (ins.Opcode is Opcode.Block or Opcode.Loop or Opcode.Else or Opcode.End)
            CountValuesAcrossLabel(_operands.Count);
        else if (ins.Opcode is Opcode.If or Opcode.BrIf or Opcode.BrTable)
            CountValuesAcrossLabel(_operands.Count - 1); // the condition or index is consumed before the boundary
        switch (ins.Opcode)
        {
            case Opcode.Unreachable:
                SetUnreachable();
                break;
            case Opcode.Nop:
                break;

            case Opcode.Block:
            case Opcode.Loop:
            {
                var (start, end) = ResolveBlockType(ins.BlockType);
                PopValues(start);
                PushControl(ins.Opcode, start, end);
                break;
            }
            case Opcode.If:
            {
                var (start, end) = ResolveBlockType(ins.BlockType);
                Pop(I32);
                PopValues(start);
                PushControl(Opcode.If, start, end);
                break;
            }
            case Opcode.Else:
            {
                if (Top.Opcode != Opcode.If) throw new WasmFormatException(ins.Offset, "else without matching if");
                var frame = PopControl();
                PushControl(Opcode.Else, frame.StartTypes, frame.EndTypes);
                break;
            }
            case Opcode.End:
            {
                var frame = PopControl();
                // An if without else has an implicit empty else, which passes its inputs through.
                if (frame.Opcode == Opcode.If && !frame.StartTypes.AsSpan().SequenceEqual(frame.EndTypes.AsSpan())) throw Error(TypeMismatch);
                PushValues(frame.EndTypes);
                break;
            }

            case Opcode.Br:
                PopValues(Label(ins.Index).LabelTypes);
                SetUnreachable();
                break;
            case Opcode.BrIf:
            {
                var types = Label(ins.Index).LabelTypes;
                Pop(I32);
                PopValues(types);
                PushValues(types);
                break;
            }
            case Opcode.BrTable:
                CheckBranchTable(ins.Index, reader.BranchTargets);
                break;
            case Opcode.Return:
                PopValues(_type.Results);
                SetUnreachable();
                break;

            case Opcode.Call:
            {
                if (ins.Index >= (uint)_module.TotalFunctionCount) throw Error(UnknownFunction);
                var callee = _module.GetFunctionType((int)ins.Index);
                PopValues(callee.Parameters);
                PushValues(callee.Results);
                break;
            }
            case Opcode.CallIndirect:
            {
                if (TableElementKind(ins.Index2) != ValueKind.FuncRef) throw Error(TypeMismatch);
                if (ins.Index >= (uint)_module.Types.Count) throw Error(UnknownType);
                var callee = _module.Types[(int)ins.Index];
                Pop(I32);
                PopValues(callee.Parameters);
                PushValues(callee.Results);
                break;
            }

            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select:
            {
                Pop(I32);
                var first = Pop();
                var second = Pop();
                if (!IsNumeric(first) || !IsNumeric(second)) throw Error(TypeMismatch);
                if (first != second && first != Unknown && second != Unknown) throw Error(TypeMismatch);
                Push(first == Unknown ? second : first);
                break;
            }
            case Opcode.SelectTyped:
            {
                if (ins.SelectTypeCount != 1) throw Error(InvalidResultArity);
                var type = ins.ValueType;
                if (type == ValueKind.V128) throw Error(SimdNotSupported);
                Pop(I32);
                Pop(type);
                Pop(type);
                Push(type);
                break;
            }

            case Opcode.LocalGet:
                Push(Local(ins.Index));
                break;
            case Opcode.LocalSet:
                Pop(Local(ins.Index));
                break;
            case Opcode.LocalTee:
            {
                var type = Local(ins.Index);
                Pop(type);
                Push(type);
                break;
            }
            case Opcode.GlobalGet:
                Push(Global(ins.Index).ValueKind);
                break;
            case Opcode.GlobalSet:
            {
                var global = Global(ins.Index);
                if (!global.Mutable) throw Error(GlobalIsImmutable);
                Pop(global.ValueKind);
                break;
            }

            case Opcode.TableGet:
            {
                var element = TableElementKind(ins.Index);
                Pop(I32);
                Push(element);
                break;
            }
            case Opcode.TableSet:
            {
                var element = TableElementKind(ins.Index);
                Pop(element);
                Pop(I32);
                break;
            }

            case >= Opcode.I32Load and <= Opcode.I64Store32:
            {
                RequireMemory();
                var access = MemoryAccess.Of(ins.Opcode);
                if (ins.Alignment > access.NaturalAlignmentLog2) throw Error(AlignmentTooLarge);
                if (access.IsStore)
                {
                    Pop(access.ValueKind);
                    Pop(I32);
                }
                else
                {
                    Pop(I32);
                    Push(access.ValueKind);
                }
                break;
            }
            case Opcode.MemorySize:
                RequireMemory();
                Push(I32);
                break;
            case Opcode.MemoryGrow:
                RequireMemory();
                Pop(I32);
                Push(I32);
                break;

            case Opcode.I32Const:
                Push(ValueKind.Int32);
                break;
            case Opcode.I64Const:
                Push(ValueKind.Int64);
                break;
            case Opcode.F32Const:
                Push(ValueKind.Float32);
                break;
            case Opcode.F64Const:
                Push(ValueKind.Float64);
                break;

            case Opcode.RefNull:
                Push(ins.ValueType);
                break;
            case Opcode.RefIsNull:
            {
                var operand = Pop();
                if (operand != Unknown && !operand.IsReference()) throw Error(TypeMismatch);
                Push(I32);
                break;
            }
            case Opcode.RefFunc:
                if (ins.Index >= (uint)_module.TotalFunctionCount) throw Error(UnknownFunction);
                if (!_declaredFunctions[ins.Index]) throw Error(UndeclaredFunctionReference);
                Push(ValueKind.FuncRef);
                break;

            case Opcode.MemoryInit:
                RequireMemory();
                RequireDataSegment(ins.Index);
                PopThreeInt32();
                break;
            case Opcode.DataDrop:
                RequireDataSegment(ins.Index);
                break;
            case Opcode.MemoryCopy:
            case Opcode.MemoryFill:
                RequireMemory();
                PopThreeInt32();
                break;

            case Opcode.TableInit:
            {
                var table = TableElementKind(ins.Index2);
                if (ElementSegmentKind(ins.Index) != table) throw Error(TypeMismatch);
                PopThreeInt32();
                break;
            }
            case Opcode.ElemDrop:
                ElementSegmentKind(ins.Index);
                break;
            case Opcode.TableCopy:
            {
                var destination = TableElementKind(ins.Index);
                var source = TableElementKind(ins.Index2);
                if (destination != source) throw Error(TypeMismatch);
                PopThreeInt32();
                break;
            }
            case Opcode.TableGrow:
            {
                var element = TableElementKind(ins.Index);
                Pop(I32);
                Pop(element);
                Push(I32);
                break;
            }
            case Opcode.TableSize:
                TableElementKind(ins.Index);
                Push(I32);
                break;
            case Opcode.TableFill:
            {
                var element = TableElementKind(ins.Index);
                Pop(I32);
                Pop(element);
                Pop(I32);
                break;
            }

            default:
                if (ins.Opcode.IsSimd()) throw Error(SimdNotSupported);
                if (!OperatorSignature.TryGet(ins.Opcode, out var signature))
                    throw new WasmFormatException(ins.Offset, $"illegal opcode {ins.Opcode}");
                if (signature.IsUnary)
                {
                    Pop(signature.Left);
                }
                else
                {
                    Pop(signature.Right);
                    Pop(signature.Left);
                }
                Push(signature.Result);
                break;
        }
    }

    private void CheckBranchTable(uint defaultLabel, ReadOnlySpan<uint> targets)
    {
        Pop(I32);
        var defaultTypes = Label(defaultLabel).LabelTypes;
        int arity = defaultTypes.Length;
        foreach (uint target in targets)
        {
            var types = Label(target).LabelTypes;
            if (types.Length != arity) throw Error(TypeMismatch);
            CheckTopValues(types);
        }
        PopValues(defaultTypes);
        SetUnreachable();
    }

    private (ImmutableArray<ValueKind> Start, ImmutableArray<ValueKind> End) ResolveBlockType(BlockType blockType)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                return (ImmutableArray<ValueKind>.Empty, ImmutableArray<ValueKind>.Empty);
            case BlockTypeKind.Value:
                return (ImmutableArray<ValueKind>.Empty, Single(blockType.ValueKind));
            default:
                if (blockType.TypeIndex >= (uint)_module.Types.Count) throw Error(UnknownType);
                var type = _module.Types[(int)blockType.TypeIndex];
                int values = Math.Max(type.Parameters.Length, type.Results.Length);
                if (values > ImplementationLimits.MaxValuesPerLabel)
                    throw LimitExceeded(nameof(ImplementationLimits.MaxValuesPerLabel), values, ImplementationLimits.MaxValuesPerLabel);
                return (type.Parameters, type.Results);
        }
    }

    private ImmutableArray<ValueKind> Single(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => SingleInt32,
        ValueKind.Int64 => SingleInt64,
        ValueKind.Float32 => SingleFloat32,
        ValueKind.Float64 => SingleFloat64,
        ValueKind.FuncRef => SingleFuncRef,
        ValueKind.ExternRef => SingleExternRef,
        ValueKind.V128 => throw Error(SimdNotSupported),
        _ => throw new WasmFormatException(_offset, "malformed block type"),
    };

    private ref ControlFrame Top => ref _controls[_controlCount - 1];

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)_controlCount) throw Error(UnknownLabel);
        return ref _controls[_controlCount - 1 - (int)depth];
    }

    private ValueKind Local(uint index)
    {
        if (index >= (uint)_localCount) throw Error(UnknownLocal);
        return _locals[index];
    }

    private GlobalType Global(uint index)
    {
        if (index >= (uint)_module.TotalGlobalCount) throw Error(UnknownGlobal);
        return _module.GetGlobalType((int)index);
    }

    private ValueKind TableElementKind(uint index)
    {
        if (index >= (uint)_module.TotalTableCount) throw Error(UnknownTable);
        return _module.GetTableType((int)index).ElementKind;
    }

    private ValueKind ElementSegmentKind(uint index)
    {
        if (index >= (uint)_module.Elements.Count) throw Error(UnknownElementSegment);
        return _module.Elements[(int)index].ElementKind;
    }

    private void RequireMemory()
    {
        if (_module.TotalMemoryCount == 0) throw Error(UnknownMemory);
    }

    private void RequireDataSegment(uint index)
    {
        // Without a data count section the segment may still exist: then the binary lacks the section
        // bulk memory needs; if it does not exist, the index is simply unknown.
        uint count = _module.DataCount ?? (uint)_module.Data.Count;
        if (index >= count) throw Error(UnknownDataSegment);
        if (_module.DataCount is null) throw Error(DataCountRequired);
    }

    private static bool IsNumeric(ValueKind kind) =>
        kind is ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64 or Unknown;

    private void Push(ValueKind kind)
    {
        _operands.Push(kind);
        if (_operands.Count > ImplementationLimits.MaxOperandStackHeight) throw OperandStackTooHigh();
    }

    private void PushValues(ImmutableArray<ValueKind> kinds)
    {
        foreach (var kind in kinds) _operands.Push(kind);
        if (_operands.Count > ImplementationLimits.MaxOperandStackHeight) throw OperandStackTooHigh();
    }

    private WasmImplementationLimitException OperandStackTooHigh() =>
        LimitExceeded(nameof(ImplementationLimits.MaxOperandStackHeight), _operands.Count, ImplementationLimits.MaxOperandStackHeight);

    /// <summary>At a control-flow boundary the compiled code carries every value on the stack across it (see <see cref="ImplementationLimits.MaxValuesAcrossLabels"/>).</summary>
    private void CountValuesAcrossLabel(int values)
    {
        _valuesAcrossLabels += Math.Max(values, 0);
        if (_valuesAcrossLabels > ImplementationLimits.MaxValuesAcrossLabels)
            throw LimitExceeded(nameof(ImplementationLimits.MaxValuesAcrossLabels), _valuesAcrossLabels, ImplementationLimits.MaxValuesAcrossLabels);
    }

    private ValueKind Pop()
    {
        ref var frame = ref Top;
        if (_operands.Count == frame.Height)
        {
            if (frame.Unreachable) return Unknown;
            throw Error(TypeMismatch);
        }
        return _operands.Pop();
    }

    private ValueKind Pop(ValueKind expected)
    {
        var actual = Pop();
        if (actual != expected && actual != Unknown && expected != Unknown) throw Error(TypeMismatch);
        return actual;
    }

    private void PopValues(ImmutableArray<ValueKind> kinds)
    {
        for (int i = kinds.Length - 1; i >= 0; i--) Pop(kinds[i]);
    }

    private void PopThreeInt32()
    {
        Pop(I32);
        Pop(I32);
        Pop(I32);
    }

    /// <summary>Checks that the stack's top matches <paramref name="kinds"/> without popping (the spec's <c>push_vals(pop_vals(..))</c>).</summary>
    private void CheckTopValues(ImmutableArray<ValueKind> kinds)
    {
        ref var frame = ref Top;
        int available = _operands.Count - frame.Height;
        for (int depth = 0; depth < kinds.Length; depth++)
        {
            var expected = kinds[kinds.Length - 1 - depth];
            if (depth >= available)
            {
                if (frame.Unreachable) return;
                throw Error(TypeMismatch);
            }
            var actual = _operands.Peek(depth);
            if (actual != expected && actual != Unknown) throw Error(TypeMismatch);
        }
    }

    private void PushControl(Opcode opcode, ImmutableArray<ValueKind> startTypes, ImmutableArray<ValueKind> endTypes)
    {
        if (_controlCount == _controls.Length) Array.Resize(ref _controls, _controls.Length * 2);
        _controls[_controlCount++] = new ControlFrame
        {
            Opcode = opcode,
            StartTypes = startTypes,
            EndTypes = endTypes,
            Height = _operands.Count,
            Unreachable = false,
        };
        PushValues(startTypes);
    }

    private ControlFrame PopControl()
    {
        var frame = Top;
        PopValues(frame.EndTypes);
        if (_operands.Count != frame.Height) throw Error(TypeMismatch);
        _controlCount--;
        return frame;
    }

    private void SetUnreachable()
    {
        ref var frame = ref Top;
        _operands.Truncate(frame.Height);
        frame.Unreachable = true;
    }

    private WasmValidationException Error(string message) => new(message, _functionIndex, _offset);

    private WasmImplementationLimitException LimitExceeded(string limit, long value, long maximum) =>
        new(limit, value, maximum, $"function {_functionIndex} at byte 0x{_offset:x}");
}
