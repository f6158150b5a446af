namespace WasmKit;

/// <summary>
/// How an engine compiles code. Checks that are off here are not in the generated code at all, so
/// they cost nothing; turning one on costs a compare per function call and loop iteration.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Whether compiled code consumes fuel: one unit per function call and per loop iteration.
    /// A store then runs out with <see cref="TrapCode.OutOfFuel"/>; see <see cref="Store.Fuel"/>.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Whether a running guest can be stopped from another thread, by <see cref="Store.Interrupt"/>,
    /// a <see cref="CancellationToken"/> or a deadline; it traps with <see cref="TrapCode.Interrupted"/>.
    /// </summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// Whether instances can be reset to their freshly instantiated state with <see cref="Instance.Reset"/>
    /// (what instance pools need). Instances then keep a snapshot of their initial state, and compiled
    /// code marks the memory it writes so that a reset copies back only what changed.
    /// </summary>
    public bool ResettableInstances { get; init; }

    /// <summary>Whether modules are cached by the SHA-256 of their bytes, so the same bytes compile once.</summary>
    public bool CacheModules { get; init; } = true;
}
