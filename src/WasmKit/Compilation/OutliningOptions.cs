namespace WasmKit.Compilation;

/// <summary>
/// When the compiler moves regions of a function body into separate methods. The .NET JIT compiles a
/// method above fixed size limits (IL bytes, instructions, basic blocks, locals and their references)
/// without optimisation whatever its tier, so a body larger than <see cref="ThresholdBytes"/> is split
/// until every method it becomes stays under them (see <see cref="RegionPlan"/>).
/// </summary>
/// <param name="ThresholdBytes">The largest run of WebAssembly code bytes one method may hold before it is split.</param>
/// <param name="MinimumRegionBytes">Regions smaller than this stay inline: the call and the copies of locals would cost more than they save.</param>
internal sealed record OutliningOptions(int ThresholdBytes, int MinimumRegionBytes)
{
    /// <summary>Found on the large programs in fixtures/programs: no generated method of theirs trips the JIT's limits.</summary>
    public static OutliningOptions Default { get; } = new(ThresholdBytes: 6_000, MinimumRegionBytes: 48);
}
