using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// The block structure of a function body too large for one method, from a pre-pass: where each
/// block, loop and if ends (and where an if's else is), so the compiler can tell how many code bytes
/// lie ahead of any point in a frame and choose the regions it moves into separate methods.
/// </summary>
/// <remarks>
/// A region is one whole block or loop without parameters; or a run of instructions of one frame that
/// starts with the operand stack at the frame's base and ends at the frame's else or end or, once it holds
/// <see cref="OutliningOptions.ThresholdBytes"/>, at the next point where the stack is back at its base, or
/// before a block too large to fit in it; or a run of a switch's cases across the ends of their blocks,
/// entered at any of them. Only frames larger than the threshold are split, outermost first, so the methods
/// a body becomes each hold at most about the threshold. No region holds a wide <c>br_table</c> (a switch):
/// its cases would all be exits of the region, so every dispatch would be a call and a second switch on the
/// exit code. The switch stays in the caller and its cases become regions, several to one where they fit.
/// </remarks>
internal sealed class RegionPlan
{
    private readonly Dictionary<int, int> _ends = [];
    private readonly Dictionary<int, int> _elses = [];
    private readonly List<int> _wideSwitches = [];
    private readonly int _functionEnd;

    private RegionPlan(OutliningOptions options, int functionEnd)
    {
        Options = options;
        _functionEnd = functionEnd;
    }

    public OutliningOptions Options { get; }

    /// <summary>A <c>br_table</c> with at least this many distinct targets is a switch no region may hold.</summary>
    public const int WideSwitchTargets = 8;

    /// <summary>A plan for <paramref name="body"/>, or null when it is small enough to stay one method.</summary>
    public static RegionPlan? For(byte[] bytes, FunctionBody body, OutliningOptions options)
    {
        if (body.CodeEnd - body.CodeStart <= options.SplitBodyBytes) return null;
        var plan = new RegionPlan(options, body.CodeEnd - 1);
        var open = new Stack<int>();
        var reader = new InstructionReader(bytes, body.CodeStart, body.CodeEnd);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.If:
                    open.Push(ins.Offset);
                    break;
                case Opcode.Else:
                    plan._elses[open.Peek()] = ins.Offset;
                    break;
                case Opcode.End:
                    if (open.Count > 0) plan._ends[open.Pop()] = ins.Offset;
                    break;
                case Opcode.BrTable:
                    if (IsWide(reader.BranchTargets, ins.Index)) plan._wideSwitches.Add(ins.Offset);
                    break;
            }
        }
        return plan;
    }

    private static bool IsWide(ReadOnlySpan<uint> targets, uint defaultTarget)
    {
        if (targets.Length + 1 < WideSwitchTargets) return false;
        var distinct = new HashSet<uint> { defaultTarget };
        foreach (uint target in targets)
            if (distinct.Add(target) && distinct.Count >= WideSwitchTargets) return true;
        return false;
    }

    /// <summary>Whether a wide switch lies in the code bytes from <paramref name="start"/> up to <paramref name="end"/>.</summary>
    public bool HoldsWideSwitch(int start, int end)
    {
        int index = _wideSwitches.BinarySearch(start);
        if (index < 0) index = ~index;
        return index < _wideSwitches.Count && _wideSwitches[index] < end;
    }

    /// <summary>The code bytes of the block starting at <paramref name="start"/>, its end included.</summary>
    public int BlockExtent(int start) => _ends[start] + 1 - start;

    /// <summary>Whether a block starting at <paramref name="start"/> is too large for one method.</summary>
    public bool IsOversizedBlock(int start) => BlockExtent(start) > Options.ThresholdBytes;

    /// <summary>Where the arm of <paramref name="frame"/> being compiled ends: its else, or its end.</summary>
    public int ArmEnd(ControlFrame frame)
    {
        if (frame.StartOffset < 0) return _functionEnd;
        if (!frame.HasElse && _elses.TryGetValue(frame.StartOffset, out int elseOffset)) return elseOffset;
        return _ends[frame.StartOffset];
    }

    /// <summary>Whether <paramref name="frame"/>, as a whole, is too large for one method.</summary>
    public bool IsOversized(ControlFrame frame) =>
        frame.StartOffset < 0 ? true : IsOversizedBlock(frame.StartOffset);
}
