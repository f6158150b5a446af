namespace WasmKit.Udf;

/// <summary>Settings of a <see cref="UdfRegistry"/>.</summary>
public sealed record UdfRegistryOptions
{
    /// <summary>The most live instances per registered module version and limits (the cap of each instance pool).</summary>
    public int MaximumInstancesPerModule { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>Limits for modules registered without any (<see cref="UdfRegistry.Register(UdfMetadata, Module, UdfLimits?)"/> with <see langword="null"/>).</summary>
    public UdfLimits DefaultLimits { get; init; } = UdfLimits.None;

    /// <summary>
    /// How often an evaluation's duration is measured: 1 times every evaluation, N one in N per
    /// instance after each UDF's first 16 evaluations, which are all measured. Calls and errors are always counted exactly; the mean and
    /// percentiles come from the measured evaluations. Reading the clock twice costs about as much as
    /// a small UDF, hence the default of 16. While a listener records the <c>wasmkit.udf.duration</c>
    /// instrument, every evaluation is measured.
    /// </summary>
    public int DurationSampleInterval { get; init; } = 16;

    /// <summary>Extra imports for UDF modules (e.g. WASI), defined after the "wasmkit" document functions.</summary>
    public Action<Linker>? ConfigureLinker { get; init; }
}
