namespace WasmKit;

/// <summary>The minimum and optional maximum size of a table (elements) or memory (64 KiB pages).</summary>
/// <param name="Minimum">The initial size.</param>
/// <param name="Maximum">The largest size it may grow to, or <see langword="null"/> for no declared maximum.</param>
public readonly record struct Limits(uint Minimum, uint? Maximum)
{
    /// <summary>The text-format form: minimum, then maximum if present.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Maximum is uint max ? $"{Minimum} {max}" : $"{Minimum}";

    /// <summary>Whether limits of an import's provider (<see langword="this"/>) satisfy the limits it was imported with.</summary>
    /// <param name="required">The limits the importing module declares.</param>
    /// <returns><see langword="true"/> when the provider's range lies within the required range.</returns>
    public bool IsSubtypeOf(Limits required) =>
        Minimum >= required.Minimum &&
        (required.Maximum is not uint max || (Maximum is uint own && own <= max));
}
