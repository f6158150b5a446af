namespace WasmKit;

/// <summary>A linear memory's limits, in 64 KiB pages.</summary>
/// <param name="Limits">The memory's size limits, in pages.</param>
public readonly record struct MemoryType(Limits Limits)
{
    /// <summary>The most pages a 32-bit memory may declare (4 GiB).</summary>
    public const uint MaximumPages = 65536;

    /// <summary>The size of a page in bytes.</summary>
    public const int PageSize = 65536;

    /// <summary>The text-format form.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"(memory {Limits})";
}
