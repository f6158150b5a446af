using WasmKit.Backends;
using WasmKit.Udf;

namespace WasmKit.DependencyInjection;

/// <summary>Settings for <see cref="WasmKitServiceCollectionExtensions.AddWasmKit"/>.</summary>
public sealed class WasmKitOptions
{
    /// <summary>
    /// The backend that compiles and runs the components; null (the default) for the managed engine built from
    /// the options below. A provider package sets it with an extension method (e.g. <c>o.UseWasmtime()</c>); the
    /// container then disposes it with itself when it is disposable. <see cref="ConfigureLinker"/> needs the managed engine.
    /// </summary>
    public IWasmBackend? Backend { get; set; }

    /// <summary>Whether guest code burns fuel, so that manifests' fuel limits apply (on by default; managed engine).</summary>
    public bool ConsumeFuel { get; set; } = true;

    /// <summary>Whether guest code can be interrupted, so that manifests' timeouts apply (on by default; managed engine).</summary>
    public bool Interruptible { get; set; } = true;

    /// <summary>Whether the engine reuses compiled code for identical module bytes (managed engine).</summary>
    public bool CacheModules { get; set; } = true;

    /// <summary>The most live instances per registered module version.</summary>
    public int MaximumInstancesPerModule { get; set; } = Environment.ProcessorCount * 2;

    /// <summary>Limits for modules registered without a manifest.</summary>
    public UdfLimits DefaultLimits { get; set; } = UdfLimits.None;

    /// <summary>Extra host functions for UDF modules, on any backend.</summary>
    public IList<HostFunctionDefinition> HostFunctions { get; } = [];

    /// <summary>Extra imports for UDF modules (e.g. WASI) on the managed engine's linker; managed engine only.</summary>
    public Action<Linker>? ConfigureLinker { get; set; }

    /// <summary>Directories whose components (NAME.wasm with NAME.json) are loaded and registered when the registry is first resolved.</summary>
    public IList<string> ComponentDirectories { get; } = [];
}
