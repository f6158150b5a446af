using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// The block structure of a function body too large for one method, from a pre-pass: where each
/// block, loop and if ends (and where an if's else is), so the compiler can tell how many code bytes
/// lie ahead of any point in a frame and choose the regions it moves into separate methods.
/// </summary>
/// <remarks>
/// A region is either one whole block or loop without parameters, or a run of instructions of one
/// frame that starts with the operand stack at the frame's base. A run ends at the frame's else or end,
/// or, once it holds <see cref="OutliningOptions.ThresholdBytes"/>, at the next point where the stack is
/// back at its base, or before a block too large to fit in it. Only frames larger than the threshold
/// are split, outermost first, so the methods a body becomes each hold at most about the threshold.
/// </remarks>
internal sealed class RegionPlan
{
    private readonly Dictionary<int, int> _ends = [];
    private readonly Dictionary<int, int> _elses = [];
    private readonly int _functionEnd;

    private RegionPlan(OutliningOptions options, int functionEnd)
    {
        Options = options;
        _functionEnd = functionEnd;
    }

    public OutliningOptions Options { get; }

    /// <summary>A plan for <paramref name="body"/>, or null when it is small enough to stay one method.</summary>
    public static RegionPlan? For(byte[] bytes, FunctionBody body, OutliningOptions options)
    {
        if (body.CodeEnd - body.CodeStart <= options.ThresholdBytes) return null;
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
            }
        }
        return plan;
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
