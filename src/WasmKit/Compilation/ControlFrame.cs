using System.Reflection.Emit;

namespace WasmKit.Compilation;

internal enum FrameKind : byte
{
    Function,
    Block,
    Loop,
    If,
    /// <summary>In a region method (see <see cref="RegionPlan"/>): a label of the caller, reached by returning an exit code.</summary>
    Exit,
}

/// <summary>A block, loop, if or the function body while it is being compiled.</summary>
internal sealed class ControlFrame
{
    /// <summary>Stands for every block opened inside unreachable code: nothing of it is emitted.</summary>
    public static readonly ControlFrame Dead = new(FrameKind.Block, [], [], 0, default) { IsLive = false };

    public ControlFrame(FrameKind kind, ValueKind[] parameters, ValueKind[] results, int height, Label label)
    {
        Kind = kind;
        Parameters = parameters;
        Results = results;
        Height = height;
        Label = label;
    }

    public FrameKind Kind { get; }

    public ValueKind[] Parameters { get; }

    public ValueKind[] Results { get; }

    /// <summary>The operand stack height below the block's parameters.</summary>
    public int Height { get; }

    /// <summary>The branch target: the start of a loop, the end of anything else.</summary>
    public Label Label { get; }

    /// <summary>For an <c>if</c>: where the else arm (or the end, without one) starts.</summary>
    public Label ElseLabel { get; init; }

    public bool HasElse { get; set; }

    /// <summary>Where the block's instruction starts in the module bytes; -1 for the function body.</summary>
    public int StartOffset { get; init; } = -1;

    /// <summary>Whether a branch to this frame is an IL branch within the method (not a return or a region exit).</summary>
    public bool IsLocalTarget => Kind is not (FrameKind.Function or FrameKind.Exit);

    /// <summary>Whether some branch targets the end label, which makes the code after the block reachable.</summary>
    public bool LabelUsed { get; set; }

    public bool IsLive { get; private init; } = true;

    /// <summary>The values a branch to this frame carries: a loop's parameters, otherwise the results.</summary>
    public ValueKind[] LabelTypes => Kind == FrameKind.Loop ? Parameters : Results;
}
