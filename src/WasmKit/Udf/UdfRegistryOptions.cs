namespace WasmKit.Udf;

/// <summary>Settings of a <see cref="UdfRegistry"/>.</summary>
public sealed record UdfRegistryOptions
{
    /// <summary>The most live instances per registered module version (the pool's cap).</summary>
    public int MaximumInstancesPerModule { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>Limits for modules registered without any (<see cref="UdfRegistry.Register(UdfMetadata, Module, UdfLimits?)"/> with <see langword="null"/>).</summary>
    public UdfLimits DefaultLimits { get; init; } = UdfLimits.None;

    /// <summary>Extra imports for UDF modules (e.g. WASI), defined after the "wasmkit" document functions.</summary>
    public Action<Linker>? ConfigureLinker { get; init; }
}
