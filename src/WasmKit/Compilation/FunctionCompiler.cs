using System.Reflection;
using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// Translates one validated function body to IL. The WebAssembly operand stack maps one-to-one onto
/// the IL evaluation stack; <see cref="_stack"/> mirrors its types for reachable code. At every label
/// the IL stack holds the enclosing operands plus the label's values, so branches that must drop
/// operands park their values in scratch locals first. Unreachable code is not emitted at all.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompilation _module;
    private readonly ModuleDefinition _definition;
    private readonly FunctionType _type;
    private readonly FunctionBody _body;
    private readonly FunctionBodyTraits _traits;
    private readonly ILGenerator _il;
    private readonly int _functionIndex;
    private readonly int _contextArgument;
    private readonly LocalBuilder?[] _locals;
    private readonly ValueKind[] _localKinds;
    private readonly List<ValueKind> _stack = [];
    private readonly List<ControlFrame> _frames = [];
    private readonly Dictionary<Type, Stack<LocalBuilder>> _scratch = [];
    private bool _unreachable;
    private int _declaredScratch;

    /// <summary>The largest estimated frame (see <see cref="LargeFrameGuard.EstimateFrameSize"/>) of a leaf that skips the stack check.</summary>
    public const int UncheckedLeafFrameBytes = 2 * 1024;

    public FunctionCompiler(ModuleCompilation module, int functionIndex, FunctionBody body, MethodBuilder method)
    {
        _module = module;
        _definition = module.Definition;
        _functionIndex = functionIndex;
        _type = _definition.GetFunctionType(functionIndex);
        _body = body;
        _traits = FunctionBodyTraits.Scan(_definition.Bytes, body);
        _il = method.GetILGenerator();
        _contextArgument = CallingConvention.ContextIndex(_type);
        _localKinds = [.. _type.Parameters, .. body.Locals];
        _locals = new LocalBuilder?[_localKinds.Length];
        for (int i = _type.Parameters.Length; i < _localKinds.Length; i++)
            _locals[i] = _il.DeclareLocal(ValueConversion.ClrType(_localKinds[i]));
        _plan = RegionPlan.For(_definition.Bytes, body, module.Options.Outlining);
    }

    public void Compile()
    {
        EmitStackCheck();
        EmitBudgetChecks();
        DeclareMemoryView();
        EmitReloadMemoryView();
        _frames.Add(new ControlFrame(FrameKind.Function, [], [.. _type.Results], 0, default));
        var reader = new InstructionReader(_definition.Bytes, _body.CodeStart, _body.CodeEnd);
        while (_frames.Count > 0)
        {
            if (_plan is not null && !_unreachable && TryOutline(ref reader)) continue;
            var instruction = reader.Read();
            if (_unreachable)
                CompileUnreachable(instruction);
            else
                CompileInstruction(instruction, ref reader);
        }
    }

    /// <summary>
    /// One compare per call: the slow path runs only when this frame is past the guard's limit. A small
    /// leaf (no calls, a frame of at most <see cref="UncheckedLeafFrameBytes"/>) has none: it cannot
    /// recurse, and its caller's check left far more margin than its one frame and the runtime helpers it
    /// calls need (see <see cref="ExecutionState"/>), so it can be entered, and inlined, for free.
    /// </summary>
    private void EmitStackCheck()
    {
        if (!_traits.MakesCalls && LargeFrameGuard.EstimateFrameSize(_type, _body) <= UncheckedLeafFrameBytes) return;
        EmitStackLimitCheck();
    }

    /// <summary>Calls <see cref="ExecutionState.CheckStack"/> when this frame lies below the stack limit.</summary>
    private void EmitStackLimitCheck()
    {
        var probe = _il.DeclareLocal(typeof(int));
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextState);
        _il.Emit(OpCodes.Ldfld, Members.StateStackLimit);
        _il.Emit(OpCodes.Bge_Un, ok);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextState);
        _il.Emit(OpCodes.Call, Members.StateCheckStack);
        _il.MarkLabel(ok);
    }

    /// <summary>Fuel and interruption checks, at function entry and loop headers, only when the engine asks for them.</summary>
    private void EmitBudgetChecks()
    {
        if (_module.Options.ConsumeFuel)
        {
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, Members.ContextState);
            _il.Emit(OpCodes.Call, Members.ConsumeFuel);
        }
        if (_module.Options.Interruptible)
        {
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, Members.ContextState);
            _il.Emit(OpCodes.Call, Members.CheckInterrupt);
        }
    }

    /// <summary>Records this instance as the caller before a call that may reach a host function.</summary>
    private void EmitRecordCaller()
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextState);
        EmitLoadContext();
        _il.Emit(OpCodes.Stfld, Members.StateCaller);
    }

    /// <summary>In dead code only the block structure matters: track nesting until the live frame's else or end.</summary>
    private void CompileUnreachable(in Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                _frames.Add(ControlFrame.Dead);
                break;
            case Opcode.Else:
                if (_frames[^1].IsLive) CompileElse();
                break;
            case Opcode.End:
                if (_frames[^1].IsLive) CompileEnd();
                else _frames.RemoveAt(_frames.Count - 1);
                break;
        }
    }

    private void CompileInstruction(in Instruction ins, ref InstructionReader reader)
    {
        switch (ins.Opcode)
        {
            case Opcode.Unreachable:
                EmitTrap(TrapCode.Unreachable);
                _unreachable = true;
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                CompileBlockStart(ins);
                break;
            case Opcode.Else:
                CompileElse();
                break;
            case Opcode.End:
                CompileEnd();
                break;
            case Opcode.Br:
                EmitBranch((int)ins.Index);
                _unreachable = true;
                break;
            case Opcode.BrIf:
                CompileBranchIf((int)ins.Index);
                break;
            case Opcode.BrTable:
                CompileBranchTable(reader.BranchTargets, (int)ins.Index);
                break;
            case Opcode.Return:
                EmitReturn();
                _unreachable = true;
                break;
            case Opcode.Call:
                CompileCall((int)ins.Index);
                break;
            case Opcode.CallIndirect:
                CompileCallIndirect(ins.Index, ins.Index2);
                break;
            case Opcode.Drop:
                Pop();
                _il.Emit(OpCodes.Pop);
                break;
            case Opcode.Select:
            case Opcode.SelectTyped:
                CompileSelect();
                break;
            case Opcode.LocalGet:
                EmitLoadLocal((int)ins.Index);
                Push(_localKinds[ins.Index]);
                break;
            case Opcode.LocalSet:
                Pop();
                EmitStoreLocal((int)ins.Index);
                break;
            case Opcode.LocalTee:
                _il.Emit(OpCodes.Dup);
                EmitStoreLocal((int)ins.Index);
                break;
            case Opcode.GlobalGet:
                CompileGlobalGet((int)ins.Index);
                break;
            case Opcode.GlobalSet:
                CompileGlobalSet((int)ins.Index);
                break;
            case Opcode.I32Const:
                _il.Emit(OpCodes.Ldc_I4, ins.I32);
                Push(ValueKind.Int32);
                break;
            case Opcode.I64Const:
                _il.Emit(OpCodes.Ldc_I8, ins.I64);
                Push(ValueKind.Int64);
                break;
            case Opcode.F32Const:
                EmitF32Constant(ins.F32, ins.I32);
                Push(ValueKind.Float32);
                break;
            case Opcode.F64Const:
                _il.Emit(OpCodes.Ldc_R8, ins.F64);
                Push(ValueKind.Float64);
                break;
            default:
                if (!TryCompileMemoryInstruction(ins) && !TryCompileReferenceInstruction(ins) && !TryCompileNumericInstruction(ins))
                    throw new WasmValidationException($"instruction {ins.Opcode} is not supported", _functionIndex, ins.Offset);
                break;
        }
    }

    // ---- control flow ----

    private void CompileBlockStart(in Instruction ins)
    {
        var (parameters, results) = ResolveBlockType(ins.BlockType);
        int height = _stack.Count - parameters.Length;
        switch (ins.Opcode)
        {
            case Opcode.Block:
                _frames.Add(new ControlFrame(FrameKind.Block, parameters, results, height, _il.DefineLabel()) { StartOffset = ins.Offset });
                break;
            case Opcode.Loop:
            {
                var start = _il.DefineLabel();
                _il.MarkLabel(start);
                EmitBudgetChecks();
                _frames.Add(new ControlFrame(FrameKind.Loop, parameters, results, height, start) { StartOffset = ins.Offset });
                break;
            }
            default:
            {
                Pop();
                height = _stack.Count - parameters.Length;
                var frame = new ControlFrame(FrameKind.If, parameters, results, height, _il.DefineLabel()) { ElseLabel = _il.DefineLabel(), StartOffset = ins.Offset };
                _il.Emit(OpCodes.Brfalse, frame.ElseLabel);
                _frames.Add(frame);
                break;
            }
        }
    }

    private void CompileElse()
    {
        var frame = _frames[^1];
        if (!_unreachable)
        {
            _il.Emit(OpCodes.Br, frame.Label);
            frame.LabelUsed = true;
        }
        _il.MarkLabel(frame.ElseLabel);
        frame.HasElse = true;
        ResetStack(frame.Height, frame.Parameters);
        _unreachable = false;
    }

    private void CompileEnd()
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        if (frame.Kind == FrameKind.Function)
        {
            if (!_unreachable) EmitReturn();
            return;
        }
        bool fallsThrough = !_unreachable;
        if (frame.Kind == FrameKind.If && !frame.HasElse)
        {
            // The implicit else passes the parameters (equal to the results) straight through.
            _il.MarkLabel(frame.ElseLabel);
            fallsThrough = true;
        }
        bool reachable = fallsThrough;
        if (frame.Kind != FrameKind.Loop && frame.LabelUsed)
        {
            _il.MarkLabel(frame.Label);
            reachable = true;
        }
        ResetStack(frame.Height, frame.Results);
        _unreachable = !reachable;
    }

    private void CompileBranchIf(int depth)
    {
        Pop();
        var frame = _frames[^(depth + 1)];
        if (frame.IsLocalTarget && _stack.Count - frame.LabelTypes.Length == frame.Height)
        {
            // Nothing to drop: branch with the label's values already in place.
            _il.Emit(OpCodes.Brtrue, frame.Label);
            if (frame.Kind != FrameKind.Loop) frame.LabelUsed = true;
            return;
        }
        var skip = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        EmitBranch(depth);
        _il.MarkLabel(skip);
    }

    private void CompileBranchTable(ReadOnlySpan<uint> targets, int defaultDepth)
    {
        Pop();
        var stubs = new Dictionary<int, Label>();
        var pending = new List<int>();
        Label LabelFor(int depth)
        {
            if (stubs.TryGetValue(depth, out var label)) return label;
            var frame = _frames[^(depth + 1)];
            if (frame.IsLocalTarget && _stack.Count - frame.LabelTypes.Length == frame.Height)
            {
                label = frame.Label;
                if (frame.Kind != FrameKind.Loop) frame.LabelUsed = true;
            }
            else
            {
                label = _il.DefineLabel();
                pending.Add(depth);
            }
            stubs[depth] = label;
            return label;
        }
        var labels = new Label[targets.Length];
        for (int i = 0; i < targets.Length; i++) labels[i] = LabelFor((int)targets[i]);
        var defaultLabel = LabelFor(defaultDepth);
        if (labels.Length > 0) _il.Emit(OpCodes.Switch, labels);
        else _il.Emit(OpCodes.Pop); // only a default: the index is not needed
        _il.Emit(OpCodes.Br, defaultLabel);
        foreach (int depth in pending)
        {
            _il.MarkLabel(stubs[depth]);
            EmitBranch(depth);
        }
        _unreachable = true;
    }

    /// <summary>Branches to the label of the frame <paramref name="depth"/> levels out, keeping its values and dropping what lies between them and the frame's base.</summary>
    private void EmitBranch(int depth)
    {
        var frame = _frames[^(depth + 1)];
        if (frame.Kind == FrameKind.Exit)
        {
            EmitRegionExit(_frames.Count - 1 - depth);
            return;
        }
        if (frame.Kind == FrameKind.Function)
        {
            EmitReturn();
            return;
        }
        var values = frame.LabelTypes;
        int extra = _stack.Count - values.Length - frame.Height;
        if (extra > 0)
        {
            var parked = ParkTop(values.Length);
            for (int i = 0; i < extra; i++) _il.Emit(OpCodes.Pop);
            Unpark(parked);
        }
        _il.Emit(OpCodes.Br, frame.Label);
        if (frame.Kind != FrameKind.Loop) frame.LabelUsed = true;
    }

    /// <summary>Returns the top results: the first as the method's return value, the rest through the trailing ref parameters.</summary>
    private void EmitReturn()
    {
        if (_region is not null)
        {
            EmitRegionExit(0); // frame 0 stands for the function's body
            return;
        }
        int arity = _type.Results.Length;
        int extra = _stack.Count - arity;
        if (extra == 0 && arity <= 1)
        {
            _il.Emit(OpCodes.Ret);
            return;
        }
        var parked = ParkTop(arity);
        for (int i = 0; i < extra; i++) _il.Emit(OpCodes.Pop);
        for (int r = 1; r < arity; r++)
        {
            _il.Emit(OpCodes.Ldarg, _contextArgument + r);
            _il.Emit(OpCodes.Ldloc, parked[r]);
            _il.Emit(OpCodes.Stobj, parked[r].LocalType);
        }
        if (arity > 0) _il.Emit(OpCodes.Ldloc, parked[0]);
        ReleaseAll(parked);
        _il.Emit(OpCodes.Ret);
    }

    private void CompileSelect()
    {
        Pop();
        Pop();
        var kind = Pop();
        _il.Emit(OpCodes.Call, kind switch
        {
            ValueKind.Int32 => Members.SelectI32,
            ValueKind.Int64 => Members.SelectI64,
            ValueKind.Float32 => Members.SelectF32,
            ValueKind.Float64 => Members.SelectF64,
            _ => Members.SelectReference,
        });
        Push(kind);
    }

    // ---- calls ----

    private void CompileCall(int functionIndex)
    {
        var callee = _definition.GetFunctionType(functionIndex);
        if (functionIndex >= _definition.ImportedFunctionCount)
        {
            EmitCallSequence(callee, () => EmitLoadContext(), () => _il.Emit(OpCodes.Call, _module.Methods[functionIndex - _definition.ImportedFunctionCount]));
            return;
        }
        // An import may be a host function or another instance's: call through its Function. Host
        // functions in ImportCalls are bound to this instance, so no caller needs recording.
        var target = RentScratch(typeof(Function));
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextImportCalls);
        _il.Emit(OpCodes.Ldc_I4, functionIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
        _il.Emit(OpCodes.Stloc, target);
        EmitCallThrough(callee, target);
        ReleaseScratch(target);
    }

    private void CompileCallIndirect(uint typeIndex, uint tableIndex)
    {
        var callee = _definition.Types[(int)typeIndex];
        Pop(); // the element index, consumed by IndirectTarget
        EmitLoadTable((int)tableIndex);
        _il.Emit(OpCodes.Ldc_I4, _module.TypeIds[typeIndex]);
        _il.Emit(OpCodes.Call, Members.IndirectTarget);
        var target = RentScratch(typeof(Function));
        _il.Emit(OpCodes.Stloc, target);
        EmitIndirectCallSequence(callee, target);
        ReleaseScratch(target);
    }

    private void EmitIndirectCallSequence(FunctionType callee, LocalBuilder target)
    {
        EmitRecordCaller();
        EmitCallThrough(callee, target);
    }

    /// <summary>Calls the code of the <see cref="Function"/> in <paramref name="target"/> with its context.</summary>
    private void EmitCallThrough(FunctionType callee, LocalBuilder target)
    {
        EmitCallSequence(callee,
            () =>
            {
                _il.Emit(OpCodes.Ldloc, target);
                _il.Emit(OpCodes.Ldfld, Members.FunctionContext);
            },
            () =>
            {
                _il.Emit(OpCodes.Ldloc, target);
                _il.Emit(OpCodes.Ldfld, Members.FunctionCode);
                _il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, CallingConvention.ReturnType(callee), CallingConvention.ParameterTypes(callee), null);
            });
    }

    /// <summary>Arguments are on the stack; pushes the context and the addresses of result slots, calls, then pushes the results in order.</summary>
    private void EmitCallSequence(FunctionType callee, Action loadContext, Action call)
    {
        for (int i = 0; i < callee.Parameters.Length; i++) Pop();
        loadContext();
        var extraResults = new LocalBuilder[Math.Max(0, callee.Results.Length - 1)];
        for (int r = 1; r < callee.Results.Length; r++)
        {
            extraResults[r - 1] = RentScratch(ValueConversion.ClrType(callee.Results[r]));
            _il.Emit(OpCodes.Ldloca, extraResults[r - 1]);
        }
        call();
        EmitReloadMemoryView();
        foreach (var local in extraResults) _il.Emit(OpCodes.Ldloc, local);
        ReleaseAll(extraResults);
        foreach (var result in callee.Results) Push(result);
    }

    // ---- locals and globals ----

    private void EmitLoadLocal(int index)
    {
        if (LocalFor(index, write: false) is LocalBuilder local) _il.Emit(OpCodes.Ldloc, local);
        else _il.Emit(OpCodes.Ldarg, index);
    }

    private void EmitStoreLocal(int index)
    {
        if (LocalFor(index, write: true) is LocalBuilder local) _il.Emit(OpCodes.Stloc, local);
        else _il.Emit(OpCodes.Starg, index);
    }

    private void EmitLoadGlobalObject(int index)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextGlobals);
        _il.Emit(OpCodes.Ldc_I4, index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private void CompileGlobalGet(int index)
    {
        var kind = _definition.GetGlobalType(index).ValueKind;
        EmitLoadGlobalObject(index);
        if (kind.IsReference())
        {
            _il.Emit(OpCodes.Ldfld, Members.GlobalReference);
        }
        else
        {
            _il.Emit(OpCodes.Ldfld, Members.GlobalBits);
            switch (kind)
            {
                case ValueKind.Int32: _il.Emit(OpCodes.Conv_I4); break;
                case ValueKind.Float32: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Call, Members.Int32BitsToSingle); break;
                case ValueKind.Float64: _il.Emit(OpCodes.Call, Members.Int64BitsToDouble); break;
            }
        }
        Push(kind);
    }

    private void CompileGlobalSet(int index)
    {
        var kind = Pop();
        var value = RentScratch(ValueConversion.ClrType(kind));
        _il.Emit(OpCodes.Stloc, value);
        EmitLoadGlobalObject(index);
        _il.Emit(OpCodes.Ldloc, value);
        ReleaseScratch(value);
        switch (kind)
        {
            case ValueKind.Int32: _il.Emit(OpCodes.Conv_I8); break;
            case ValueKind.Float32: _il.Emit(OpCodes.Call, Members.SingleToInt32Bits); _il.Emit(OpCodes.Conv_I8); break;
            case ValueKind.Float64: _il.Emit(OpCodes.Call, Members.DoubleToInt64Bits); break;
        }
        _il.Emit(OpCodes.Stfld, kind.IsReference() ? Members.GlobalReference : Members.GlobalBits);
    }

    // ---- constants, traps, context ----

    private void EmitF32Constant(float value, int bits)
    {
        // The JIT stores float literals as doubles, which quiets a signalling NaN: load those opaquely.
        if (Numerics.IsF32SignallingNaNBits(bits))
        {
            _il.Emit(OpCodes.Ldc_I4, bits);
            _il.Emit(OpCodes.Call, _module.Helper(typeof(Numerics), nameof(Numerics.F32FromBitsOpaque)));
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R4, value);
        }
    }

    private void EmitTrap(TrapCode code)
    {
        _il.Emit(OpCodes.Ldc_I4, (int)code);
        _il.Emit(OpCodes.Call, Members.CreateTrap);
        _il.Emit(OpCodes.Throw);
    }

    private void EmitLoadContext() => _il.Emit(OpCodes.Ldarg, _contextArgument);

    private void EmitLoadMemory()
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextMemory0);
    }

    private void EmitLoadTable(int index)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextTables);
        _il.Emit(OpCodes.Ldc_I4, index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    // ---- type stack and scratch locals ----

    private void Push(ValueKind kind)
    {
        _stack.Add(kind);
    }

    private ValueKind Pop()
    {
        var kind = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return kind;
    }

    private void ResetStack(int height, ValueKind[] top)
    {
        _stack.RemoveRange(height, _stack.Count - height);
        foreach (var kind in top) Push(kind);
    }

    /// <summary>Moves the top <paramref name="count"/> IL stack values into scratch locals (index 0 = deepest), leaving the type stack as it is.</summary>
    private LocalBuilder[] ParkTop(int count)
    {
        var parked = new LocalBuilder[count];
        for (int i = count - 1; i >= 0; i--)
        {
            parked[i] = RentScratch(ValueConversion.ClrType(_stack[_stack.Count - count + i]));
            _il.Emit(OpCodes.Stloc, parked[i]);
        }
        return parked;
    }

    private void Unpark(LocalBuilder[] parked)
    {
        foreach (var local in parked) _il.Emit(OpCodes.Ldloc, local);
        ReleaseAll(parked);
    }

    private LocalBuilder RentScratch(Type type)
    {
        if (_scratch.TryGetValue(type, out var pool) && pool.Count > 0) return pool.Pop();
        _declaredScratch++;
        return _il.DeclareLocal(type);
    }

    private void ReleaseScratch(LocalBuilder local)
    {
        if (!_scratch.TryGetValue(local.LocalType, out var pool)) _scratch[local.LocalType] = pool = new Stack<LocalBuilder>();
        pool.Push(local);
    }

    private void ReleaseAll(LocalBuilder[] locals)
    {
        foreach (var local in locals) ReleaseScratch(local);
    }

    private (ValueKind[] Parameters, ValueKind[] Results) ResolveBlockType(BlockType blockType) => blockType.Kind switch
    {
        BlockTypeKind.Empty => ([], []),
        BlockTypeKind.Value => ([], [blockType.ValueKind]),
        _ => ([.. _definition.Types[(int)blockType.TypeIndex].Parameters], [.. _definition.Types[(int)blockType.TypeIndex].Results]),
    };
}
