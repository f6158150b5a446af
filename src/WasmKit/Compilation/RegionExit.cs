using System.Reflection.Emit;

namespace WasmKit.Compilation;

/// <summary>A way out of a region: to the caller's frame <see cref="FrameIndex"/> (or -1, completing normally) with values of <see cref="Types"/>.</summary>
internal sealed class RegionExit(int frameIndex, ValueKind[] types, int code, LocalBuilder[] values)
{
    public int FrameIndex { get; } = frameIndex;

    public ValueKind[] Types { get; } = types;

    /// <summary>What the region method returns for this exit.</summary>
    public int Code { get; } = code;

    /// <summary>The region method's locals that hold the exit's values until its epilogue stores them.</summary>
    public LocalBuilder[] Values { get; } = values;
}
