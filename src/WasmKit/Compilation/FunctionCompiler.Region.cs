using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// Outlining, the region method's side. Its signature: (for a region of switch cases, the entry, then)
/// the context, then the function's locals it uses (the ones it writes by reference), then a reference
/// slot for every value it leaves with; it returns an exit code. It copies the locals into its own IL locals at entry, so the JIT can keep them in
/// registers, and writes them back in one epilogue that every exit reaches. Its outermost frames stand
/// for its caller's, as <see cref="FrameKind.Exit"/> frames: a branch to one, or a return, parks the
/// values and leaves with that label's code. It checks the stack like a function, but consumes no fuel
/// and checks no interruption at entry: it is not a WebAssembly call (loops inside it keep theirs).
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>Set when this compiles a region method rather than a function.</summary>
    private readonly RegionState? _region;

    private FunctionCompiler(FunctionCompiler caller, MethodBuilder method, RegionState region)
    {
        _module = caller._module;
        _definition = caller._definition;
        _functionIndex = caller._functionIndex;
        _type = caller._type;
        _body = caller._body;
        _traits = caller._traits;
        _plan = caller._plan;
        // The constant-operand analysis covers the whole body (a region alone would miss constants stored outside it): share it.
        _constantOperandsOwner = caller._constantOperandsOwner ?? caller;
        _il = method.GetILGenerator();
        _contextArgument = region.ContextArgument;
        _localKinds = caller._localKinds;
        _locals = new LocalBuilder?[_localKinds.Length]; // declared on first use, see LocalFor
        _region = region;
        for (int i = 0; i < region.ExitFrameCount; i++)
        {
            var frame = caller._frames[i];
            _frames.Add(new ControlFrame(FrameKind.Exit, frame.LabelTypes, frame.LabelTypes, 0, default) { StartOffset = frame.StartOffset });
        }
        // Frames that end inside the region are its own; all but the outermost are entry points.
        for (int i = region.ExitFrameCount; i < caller._frames.Count; i++)
            _frames.Add(new ControlFrame(FrameKind.Block, [], [], 0, _il.DefineLabel()) { StartOffset = caller._frames[i].StartOffset, LabelUsed = i > region.ExitFrameCount });
    }

    /// <summary>The IL local of a WebAssembly local (null: a parameter of the function's own method).</summary>
    private LocalBuilder? LocalFor(int index, bool write)
    {
        if (_region is null) return _locals[index];
        if (_locals[index] is not LocalBuilder local)
        {
            _locals[index] = local = _il.DeclareLocal(ValueConversion.ClrType(_localKinds[index]));
            _region.UsedLocals.Add(index);
        }
        if (write) _region.Written[index] = true;
        return local;
    }

    /// <summary>Compiles the region from the reader's position up to where it ends; the reader then stands there.</summary>
    private void CompileRegion(ref InstructionReader reader)
    {
        var region = _region!;
        DeclareMemoryView();
        EmitReloadMemoryView();
        region.Epilogue = _il.DefineLabel();
        region.ExitCode = _il.DeclareLocal(typeof(int));
        // The prologue copies the locals in, but which ones is known only at the end: it goes there.
        var prologue = _il.DefineLabel();
        var start = _il.DefineLabel();
        _il.Emit(OpCodes.Br, prologue);
        _il.MarkLabel(start);
        if (region.OpenFrames > 0) EmitEntrySwitch();
        while (_frames.Count > region.ExitFrameCount || !RegionEndsBefore(reader))
        {
            if (!_unreachable && TryOutline(ref reader)) continue;
            var instruction = reader.Read();
            if (_unreachable)
                CompileUnreachable(instruction);
            else
                CompileInstruction(instruction, ref reader);
        }
        if (!_unreachable)
        {
            region.Fallthrough = NewExit(-1, [.. _stack], code: 0);
            StoreExitValues(region.Fallthrough);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Stloc, region.ExitCode);
        }
        EmitRegionEpilogue();
        _il.MarkLabel(prologue);
        if (RegionNeedsStackCheck()) EmitStackLimitCheck();
        int argument = region.FirstLocalArgument;
        foreach (int index in region.UsedLocals)
        {
            _il.Emit(OpCodes.Ldarg, argument++);
            if (region.Written[index]) _il.Emit(OpCodes.Ldobj, _locals[index]!.LocalType);
            _il.Emit(OpCodes.Stloc, _locals[index]!);
        }
        _il.Emit(OpCodes.Br, start);
    }

    /// <summary>
    /// A region called straight from its function, with a small frame, needs no stack check, like a small
    /// leaf: the function's check (or its caller's) left far more margin than one such frame. Nested regions
    /// check, so that a chain of them cannot add up unchecked; calls out of a region are checked by the callee.
    /// </summary>
    private bool RegionNeedsStackCheck()
    {
        var region = _region!;
        int locals = region.UsedLocals.Count + region.ExitsWithValues.Sum(exit => exit.Values.Length) + _declaredScratch + 4;
        return region.Depth > 0 || 16 * locals + 1024 > UncheckedLeafFrameBytes;
    }

    /// <summary>
    /// Where a region of switch cases starts: entry 0 at its first instruction, entry j after the end of
    /// its j-th innermost frame (the caller's <c>br_table</c> jumped there).
    /// </summary>
    private void EmitEntrySwitch()
    {
        var first = _il.DefineLabel();
        var targets = new Label[_region!.OpenFrames];
        targets[0] = first;
        for (int j = 1; j < targets.Length; j++) targets[j] = _frames[^j].Label;
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Switch, targets);
        _il.MarkLabel(first);
    }

    /// <summary>At the region's own level: whether it ends before the next instruction.</summary>
    private bool RegionEndsBefore(InstructionReader peek)
    {
        var region = _region!;
        var ins = peek.Read();
        // The caller's frame goes on: its else or end is the caller's to compile.
        if (ins.Opcode is Opcode.End or Opcode.Else) return true;
        if (ins.Offset == region.StartOffset) return false;
        if (region.SingleBlock || region.OpenFrames > 0) return true;
        // A run stops only where the stack is back at its base, so that nothing is left to carry.
        if (_unreachable || _stack.Count != 0) return false;
        var options = _plan!.Options;
        if (ins.Offset - region.StartOffset >= options.ThresholdBytes) return true;
        // A block too large for the run is better compiled by the caller, which splits it.
        return ins.Opcode is Opcode.Block or Opcode.Loop or Opcode.If && _plan.IsOversizedBlock(ins.Offset);
    }

    /// <summary>Leaves the region for the caller's frame <paramref name="frameIndex"/>, with its label's values from the top of the stack.</summary>
    private void EmitRegionExit(int frameIndex)
    {
        var region = _region!;
        var exit = region.Exits.Find(e => e.FrameIndex == frameIndex);
        if (exit is null)
        {
            exit = NewExit(frameIndex, _frames[frameIndex].LabelTypes, code: region.Exits.Count + 1);
            region.Exits.Add(exit);
        }
        StoreExitValues(exit);
        _il.Emit(OpCodes.Ldc_I4, exit.Code);
        _il.Emit(OpCodes.Stloc, region.ExitCode!);
        _il.Emit(OpCodes.Br, region.Epilogue);
    }

    private RegionExit NewExit(int frameIndex, ValueKind[] types, int code) =>
        new(frameIndex, types, code, [.. types.Select(kind => _il.DeclareLocal(ValueConversion.ClrType(kind)))]);

    /// <summary>Moves the exit's values off the top of the IL stack and drops the rest of it (the type stack stays as it is).</summary>
    private void StoreExitValues(RegionExit exit)
    {
        for (int v = exit.Values.Length - 1; v >= 0; v--) _il.Emit(OpCodes.Stloc, exit.Values[v]);
        for (int i = exit.Values.Length; i < _stack.Count; i++) _il.Emit(OpCodes.Pop);
    }

    /// <summary>Writes back the written locals and every exit's values (only the taken exit's are read), and returns the exit code.</summary>
    private void EmitRegionEpilogue()
    {
        var region = _region!;
        _il.MarkLabel(region.Epilogue);
        int argument = region.FirstLocalArgument;
        foreach (int index in region.UsedLocals)
        {
            if (region.Written[index])
            {
                _il.Emit(OpCodes.Ldarg, argument);
                _il.Emit(OpCodes.Ldloc, _locals[index]!);
                _il.Emit(OpCodes.Stobj, _locals[index]!.LocalType);
            }
            argument++;
        }
        foreach (var exit in region.ExitsWithValues)
        {
            foreach (var value in exit.Values)
            {
                _il.Emit(OpCodes.Ldarg, argument++);
                _il.Emit(OpCodes.Ldloc, value);
                _il.Emit(OpCodes.Stobj, value.LocalType);
            }
        }
        _il.Emit(OpCodes.Ldloc, region.ExitCode!);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>The region method's parameters, in the order the epilogue and the caller use.</summary>
    private Type[] RegionParameterTypes()
    {
        var region = _region!;
        var types = new List<Type>();
        if (region.OpenFrames > 0) types.Add(typeof(int));
        types.Add(typeof(InstanceContext));
        foreach (int index in region.UsedLocals)
        {
            var type = ValueConversion.ClrType(_localKinds[index]);
            types.Add(region.Written[index] ? type.MakeByRefType() : type);
        }
        foreach (var exit in region.ExitsWithValues)
            types.AddRange(exit.Types.Select(kind => ValueConversion.ClrType(kind).MakeByRefType()));
        return [.. types];
    }
}
