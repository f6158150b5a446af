using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// Outlining, the caller's side: in a frame too large for one method (see <see cref="RegionPlan"/>),
/// regions are compiled into region methods and replaced by a call. The call passes the context, the
/// locals the region reads (by value) or writes (by reference: the region copies them into its own IL
/// locals and back, so only the caller keeps them in memory) and a slot for each value the region
/// leaves with; the operands below the region stay on the IL stack across it. The returned exit code
/// picks the branch to take.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>The body's block structure when it is too large for one method; null otherwise.</summary>
    private readonly RegionPlan? _plan;

    /// <summary>The address the caller probes before calling into a region of a large frame (see <see cref="LargeFrameGuard"/>).</summary>
    private LocalBuilder? _regionProbe;

    /// <summary>
    /// How deeply regions nest, at most. Each level is a recursion of the compiler and a call at run time;
    /// deeper than this (only a hostile or machine-made body nests so), the rest stays in one method.
    /// </summary>
    private const int MaxRegionDepth = 32;

    /// <summary>Compiles the region starting at the reader into a region method and calls it, if one starts here; the reader then stands after it.</summary>
    private bool TryOutline(ref InstructionReader reader)
    {
        // A region of switch cases is small and its frames are the caller's: it splits no further.
        if (RegionDepth >= MaxRegionDepth || _region is { OpenFrames: > 0 }) return false;
        var peek = reader;
        if (peek.AtEnd) return false;
        var ins = peek.Read();
        if (ins.Opcode is Opcode.End or Opcode.Else) return false;
        var plan = _plan!;
        var options = plan.Options;
        bool isBlock = ins.Opcode is Opcode.Block or Opcode.Loop or Opcode.If;
        if (_region is not null && _frames.Count == _region.ExitFrameCount)
        {
            // The region's own level: it is a run already, which stops on its own; only whole blocks split off.
            if (!_region.Oversized || ins.Offset == _region.StartOffset) return false;
        }
        else
        {
            var frame = _frames[^1];
            if (!plan.IsOversized(frame)) return false;
            if (_stack.Count == frame.Height && TryOutlineCases(ref reader, ins.Offset)) return true;
            int armEnd = plan.ArmEnd(frame);
            int remaining = armEnd - ins.Offset;
            if (_stack.Count == frame.Height && remaining >= options.MinimumRegionBytes &&
                !(isBlock && plan.IsOversizedBlock(ins.Offset)) && !plan.HoldsWideSwitch(ins.Offset, armEnd))
            {
                Outline(ref reader, new RegionState(ins.Offset, singleBlock: false, oversized: remaining > options.ThresholdBytes, _frames.Count, _localKinds.Length, RegionDepth));
                return true;
            }
        }
        if (ins.Opcode is Opcode.Block or Opcode.Loop && ResolveBlockType(ins.BlockType).Parameters.Length == 0)
        {
            int extent = plan.BlockExtent(ins.Offset);
            if (extent >= options.MinimumRegionBytes && extent <= options.ThresholdBytes && !plan.HoldsWideSwitch(ins.Offset, ins.Offset + extent))
            {
                Outline(ref reader, new RegionState(ins.Offset, singleBlock: true, oversized: false, _frames.Count, _localKinds.Length, RegionDepth));
                return true;
            }
        }
        return false;
    }

    /// <summary>The nesting depth of the regions this compiler outlines.</summary>
    private int RegionDepth => _region is null ? 0 : _region.Depth + 1;

    private void Outline(ref InstructionReader reader, RegionState region)
    {
        var method = _module.Regions.Define(_module.Methods[_functionIndex - _definition.ImportedFunctionCount].Name, region.Depth);
        var compiler = new FunctionCompiler(this, method, region);
        compiler.CompileRegion(ref reader);
        RegionMethods.Complete(method, compiler.RegionParameterTypes());
        EmitRegionCall(method, region);
    }

    /// <summary>
    /// The cases of a switch: each sits between the ends of two nested blocks, and the br_table that
    /// jumps to them stays in the caller (see <see cref="RegionPlan"/>). One region takes as many
    /// consecutive cases, across the ends of their blocks, as fit in the threshold, so that the caller
    /// keeps one call per run of cases rather than per case (a switch of a thousand cases would
    /// otherwise still leave its function above the JIT's limits). The caller's labels of those blocks
    /// become the region's entries.
    /// </summary>
    private bool TryOutlineCases(ref InstructionReader reader, int start)
    {
        var plan = _plan!;
        int open = 0, end = start;
        for (int j = 1; j < _frames.Count; j++)
        {
            var frame = _frames[^j];
            if (frame.Kind != FrameKind.Block || frame.Parameters.Length > 0 || frame.Results.Length > 0 || frame.Height != _stack.Count) break;
            int frameEnd = plan.ArmEnd(frame) + 1;
            if (frameEnd - start > plan.Options.ThresholdBytes) break;
            (open, end) = (j, frameEnd);
        }
        if (open < 2 || end - start < plan.Options.MinimumRegionBytes || plan.HoldsWideSwitch(start, end)) return false;

        var region = new RegionState(start, singleBlock: false, oversized: false, _frames.Count - open, _localKinds.Length, RegionDepth) { OpenFrames = open };
        var method = _module.Regions.Define(_module.Methods[_functionIndex - _definition.ImportedFunctionCount].Name, region.Depth);
        var compiler = new FunctionCompiler(this, method, region);
        compiler.CompileRegion(ref reader);
        RegionMethods.Complete(method, compiler.RegionParameterTypes());

        // Every way in (falling into the first case, or a branch to the end of an inner block) pushes its
        // entry, the region method's first argument, and meets at one call: a few bytes per case, as a
        // switch of a thousand cases keeps a thousand of these.
        var call = _il.DefineLabel();
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Br, call);
        for (int j = 1; j < open; j++)
        {
            var frame = _frames[^j];
            if (!frame.LabelUsed) continue;
            _il.MarkLabel(frame.Label);
            if (j <= sbyte.MaxValue) _il.Emit(OpCodes.Ldc_I4_S, (sbyte)j);
            else _il.Emit(OpCodes.Ldc_I4, j);
            _il.Emit(OpCodes.Br, call);
        }
        _il.MarkLabel(call);
        var outermost = _frames[^open];
        _frames.RemoveRange(_frames.Count - open, open);
        EmitRegionCall(method, region);
        // After the region: the end of its outermost block, where the caller's branches to it land too.
        if (outermost.LabelUsed)
        {
            _il.MarkLabel(outermost.Label);
            _unreachable = false;
        }
        return true;
    }

    private void EmitRegionCall(MethodBuilder method, RegionState region)
    {
        EmitRegionFrameProbe();
        var used = region.UsedLocals;
        EmitLoadContext();
        for (int i = 0; i < used.Count; i++)
        {
            if (region.Written[used[i]])
            {
                if (LocalFor(used[i], write: true) is LocalBuilder local) _il.Emit(OpCodes.Ldloca, local);
                else _il.Emit(OpCodes.Ldarga, used[i]);
            }
            else EmitLoadLocal(used[i]);
        }
        var slots = new Dictionary<RegionExit, LocalBuilder[]>();
        foreach (var exit in region.ExitsWithValues)
        {
            var values = slots[exit] = new LocalBuilder[exit.Types.Length];
            for (int v = 0; v < values.Length; v++)
            {
                values[v] = RentScratch(ValueConversion.ClrType(exit.Types[v]));
                _il.Emit(OpCodes.Ldloca, values[v]);
            }
        }
        _il.Emit(OpCodes.Call, method);
        LocalBuilder? code = null;
        if (region.Exits.Count > 0)
        {
            code = RentScratch(typeof(int));
            _il.Emit(OpCodes.Stloc, code);
        }
        else
        {
            _il.Emit(OpCodes.Pop);
        }
        EmitReloadMemoryView();
        EmitRegionDispatch(region, code, slots);
        if (code is not null) ReleaseScratch(code);
        foreach (var values in slots.Values) ReleaseAll(values);
    }

    /// <summary>Takes the branch the exit code names, or continues with the region's values on the stack.</summary>
    private void EmitRegionDispatch(RegionState region, LocalBuilder? code, Dictionary<RegionExit, LocalBuilder[]> slots)
    {
        var exits = region.Exits;
        if (exits.Count > 2)
        {
            // A region holding a switch may leave to many labels: one IL switch rather than a chain of compares.
            var targets = new Label[exits.Count];
            for (int e = 0; e < targets.Length; e++) targets[e] = _il.DefineLabel();
            var normal = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, code!);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Switch, targets);
            _il.Emit(OpCodes.Br, normal);
            for (int e = 0; e < targets.Length; e++)
            {
                _il.MarkLabel(targets[e]);
                EmitBranchOut(exits[e], slots[exits[e]]);
            }
            _il.MarkLabel(normal);
        }
        else
        {
            for (int e = 0; e < exits.Count; e++)
            {
                bool last = e == exits.Count - 1 && region.Fallthrough is null;
                var next = _il.DefineLabel();
                if (!last)
                {
                    _il.Emit(OpCodes.Ldloc, code!);
                    _il.Emit(OpCodes.Ldc_I4, exits[e].Code);
                    _il.Emit(OpCodes.Bne_Un, next);
                }
                EmitBranchOut(exits[e], slots[exits[e]]);
                if (!last) _il.MarkLabel(next);
            }
        }
        if (region.Fallthrough is RegionExit fallthrough)
        {
            foreach (var local in slots[fallthrough]) _il.Emit(OpCodes.Ldloc, local);
            foreach (var kind in fallthrough.Types) Push(kind);
        }
        else
        {
            // The region never completes normally: this point is never reached (the IL still needs an end here).
            if (exits.Count is 0 or > 2) EmitTrap(TrapCode.Unreachable);
            _unreachable = true;
        }
    }

    /// <summary>Takes one exit of a region: its values onto the stack, then the branch to its label.</summary>
    private void EmitBranchOut(RegionExit exit, LocalBuilder[] values)
    {
        foreach (var local in values) _il.Emit(OpCodes.Ldloc, local);
        foreach (var kind in exit.Types) Push(kind);
        EmitBranch(_frames.Count - 1 - exit.FrameIndex);
        _stack.RemoveRange(_stack.Count - exit.Types.Length, exit.Types.Length);
    }

    /// <summary>
    /// A region method's frame is at most its function's. When that is large, the caller makes sure it
    /// fits before the call, as <see cref="LargeFrameGuard"/> does for the function itself.
    /// </summary>
    private void EmitRegionFrameProbe()
    {
        int estimate = LargeFrameGuard.EstimateFrameSize(_type, _body);
        if (estimate <= LargeFrameGuard.Threshold) return;
        _regionProbe ??= _il.DeclareLocal(typeof(int));
        var fits = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloca, _regionProbe);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldc_I4, estimate);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Sub);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, Members.ContextState);
        _il.Emit(OpCodes.Ldfld, Members.StateStackLimit);
        _il.Emit(OpCodes.Bge_Un, fits);
        _il.Emit(OpCodes.Ldc_I4, estimate);
        _il.Emit(OpCodes.Call, Members.StateCheckFrame);
        _il.MarkLabel(fits);
    }
}
