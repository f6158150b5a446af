using System.Reflection.Emit;

namespace WasmKit.Compilation;

/// <summary>
/// One region being compiled into its own method: where it starts, how it ends, which of the
/// function's locals it uses and which labels of its caller it leaves to.
/// </summary>
internal sealed class RegionState(int startOffset, bool singleBlock, bool oversized, int exitFrameCount, int localCount, int depth)
{
    /// <summary>How many regions this one is nested in.</summary>
    public int Depth { get; } = depth;

    /// <summary>The offset of the region's first instruction.</summary>
    public int StartOffset { get; } = startOffset;

    /// <summary>True for one whole block or loop; false for a run of a frame's instructions.</summary>
    public bool SingleBlock { get; } = singleBlock;

    /// <summary>Whether the run may be longer than the threshold: it then stops once it holds that much.</summary>
    public bool Oversized { get; } = oversized;

    /// <summary>
    /// How many of the caller's innermost frames end inside the region (0 for most): a run of a switch's
    /// cases, which the region method can be entered at the start of, or after the end of any but the
    /// outermost of them (its first argument, before the context, says where).
    /// </summary>
    public int OpenFrames { get; init; }

    /// <summary>The region method's context argument: the first, after the entry of a region of switch cases.</summary>
    public int ContextArgument => OpenFrames > 0 ? 1 : 0;

    /// <summary>The argument of the region method's first local.</summary>
    public int FirstLocalArgument => ContextArgument + 1;

    /// <summary>How many of the region method's frames stand for its caller's (one each, as exits).</summary>
    public int ExitFrameCount { get; } = exitFrameCount;

    /// <summary>The function's locals the region uses, in order of first use; each is a parameter of the region method.</summary>
    public List<int> UsedLocals { get; } = [];

    /// <summary>Which locals the region writes: those are passed by reference and written back at exit.</summary>
    public bool[] Written { get; } = new bool[localCount];

    /// <summary>The values left on the stack when the region completes normally (exit code 0), or null if it never does.</summary>
    public RegionExit? Fallthrough { get; set; }

    /// <summary>The caller's labels the region branches to, in exit code order (code = index + 1).</summary>
    public List<RegionExit> Exits { get; } = [];

    /// <summary>Where every exit of the region method meets to write back locals and results.</summary>
    public Label Epilogue { get; set; }

    /// <summary>The region method's local holding the exit code it returns.</summary>
    public LocalBuilder? ExitCode { get; set; }

    /// <summary>The exits in the order their values are passed: the fallthrough first.</summary>
    public IEnumerable<RegionExit> ExitsWithValues =>
        Fallthrough is null ? Exits : Exits.Prepend(Fallthrough);
}
