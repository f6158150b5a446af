namespace WasmKit.Reducers;

/// <summary>
/// What one <see cref="Reducer.Apply"/> produced: the new state and the effects, both in the reducer's
/// <see cref="ReducerFormat"/>. The spans are views of guest memory, valid until the next call on the same
/// <see cref="Reducer"/>; copy what you keep (<see cref="ReadOnlySpan{T}.ToArray"/>).
/// </summary>
public readonly ref struct ReducerOutput
{
    /// <summary>Creates an output over two ranges of guest memory.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="effects">The effects.</param>
    public ReducerOutput(ReadOnlySpan<byte> state, ReadOnlySpan<byte> effects)
    {
        State = state;
        Effects = effects;
    }

    /// <summary>The state after the batch.</summary>
    public ReadOnlySpan<byte> State { get; }

    /// <summary>The batch's effects (for the bank ledger: audit records and rejections).</summary>
    public ReadOnlySpan<byte> Effects { get; }
}
