namespace WasmKit.BinaryFormat;

/// <summary>
/// A function body from the code section: its declared locals (expanded, without the parameters)
/// and the range of its instructions in the module's bytes, up to and including the final <c>end</c>.
/// </summary>
internal sealed record FunctionBody(ValueKind[] Locals, int CodeStart, int CodeEnd, int ByteOffset)
{
    /// <summary>The most locals one function may declare (<see cref="ImplementationLimits.MaxLocals"/>).</summary>
    public const int MaximumLocals = ImplementationLimits.MaxLocals;
}
