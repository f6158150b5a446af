using WasmKit.Backends;
using WasmKit.Wasi;

namespace WasmKit.Udf;

/// <summary>Settings of a <see cref="UdfRegistry"/>.</summary>
public sealed record UdfRegistryOptions
{
    /// <summary>The most live instances per registered module version and limits (the cap of each instance pool).</summary>
    public int MaximumInstancesPerModule { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>
    /// The limits of every registration, member by member where the registration's (or manifest's) own
    /// limits leave one unset: <see cref="UdfLimits.Default"/> (16 MiB of memory, a 1 s timeout per
    /// guest call, no fuel limit) unless changed; <see cref="UdfLimits.None"/> lifts them all.
    /// </summary>
    public UdfLimits DefaultLimits { get; init; } = UdfLimits.Default;

    /// <summary>
    /// How often an evaluation's duration is measured: 1 times every evaluation, N one in N per
    /// instance after each UDF's first 16 evaluations, which are all measured. Calls and errors are always counted exactly; the mean and
    /// percentiles come from the measured evaluations. Reading the clock twice costs about as much as
    /// a small UDF, hence the default of 16. While a listener records the <c>wasmkit.udf.duration</c>
    /// instrument, every evaluation is measured.
    /// </summary>
    public int DurationSampleInterval { get; init; } = 16;

    /// <summary>
    /// The engine the registry runs its UDF modules on; null for the managed engine, with an engine of the
    /// registry's own. A provider package sets it (e.g. a Wasmtime backend); modules registered must be compiled by it.
    /// </summary>
    public IWasmBackend? Backend { get; init; }

    /// <summary>Extra host functions for UDF modules, on any backend, defined after the "wasmkit" document functions.</summary>
    public IReadOnlyList<HostFunctionDefinition> HostFunctions { get; init; } = [];

    /// <summary>WASI preview 1 for UDF modules (each backend's own implementation), or null for none.</summary>
    public WasiConfiguration? Wasi { get; init; }

    /// <summary>Extra imports for UDF modules (e.g. WASI), defined on the managed engine's linker after the "wasmkit" document functions; managed engine only.</summary>
    public Action<Linker>? ConfigureLinker { get; init; }
}
