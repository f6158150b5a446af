namespace WasmKit.Reducers;

/// <summary>The limits a reducer runs under. Every guest may be hostile: these bound the host's memory and CPU.</summary>
public sealed record ReducerOptions
{
    /// <summary>The default memory cap: 256 pages (16 MiB).</summary>
    public const uint DefaultMaximumMemoryPages = 256;

    /// <summary>The default input cap: 4 MiB.</summary>
    public const int DefaultMaximumInputBytes = 4 * 1024 * 1024;

    /// <summary>The most pages the reducer's memory may grow to; growing past it fails inside the guest (which then traps).</summary>
    public uint MaximumMemoryPages { get; init; } = DefaultMaximumMemoryPages;

    /// <summary>
    /// The most bytes of state, loaded data and commands one call may pass to the guest together; more is
    /// refused with an <see cref="ArgumentException"/> before the guest runs.
    /// </summary>
    public int MaximumInputBytes { get; init; } = DefaultMaximumInputBytes;

    /// <summary>
    /// The fuel each guest call starts with (a call is a state load, a batch or a save), or null for no fuel
    /// limit. Running out traps with <see cref="TrapCode.OutOfFuel"/>. Needs a backend that consumes fuel.
    /// </summary>
    public long? FuelPerCall { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfZero(MaximumMemoryPages, nameof(MaximumMemoryPages));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaximumInputBytes, nameof(MaximumInputBytes));
        if (FuelPerCall is { } fuel) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fuel, nameof(FuelPerCall));
    }
}
