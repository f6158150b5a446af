using WasmKit.Wasi;

namespace WasmKit.Backends;

/// <summary>
/// What the host offers the guest's imports: host functions defined once by the product layer, WASI, and a
/// backend-specific hook. Immutable; make one per registry (or pool) and share it: a backend caches its
/// linking work (e.g. the managed engine's <see cref="Linker"/>) per <see cref="BackendImports"/> object.
/// </summary>
public sealed class BackendImports
{
    /// <summary>Imports with nothing in them: a module that imports anything cannot be instantiated with them.</summary>
    public static BackendImports None { get; } = new();

    /// <summary>The host functions; each backend binds them its own way, or uses a specialization it knows (<see cref="HostFunctionDefinition.GetSpecialization"/>).</summary>
    public IReadOnlyList<HostFunctionDefinition> HostFunctions { get; init; } = [];

    /// <summary>
    /// WASI preview 1 for the guest (<c>wasi_snapshot_preview1</c>), or <see langword="null"/> for none. Each
    /// backend uses its own WASI implementation; where one lacks a limit of <see cref="WasiConfiguration"/>,
    /// its documentation says so. Every instance has its own program state, made at instantiation (before the
    /// start function), started again by <see cref="IBackendInstance.Reset"/> and closed by disposing the
    /// instance: no descriptor, stdin position or output counted against <see cref="WasiConfiguration.MaxOutputBytes"/>
    /// passes from one instance (or one rent of a pooled instance) to another. Do not change the configuration
    /// once the imports are in use. <see cref="WasiConfiguration.Stdin"/> is read to its end at the first
    /// instantiation and kept as bytes that each instance reads from the first; stdout and stderr are shared
    /// by the instances, each write whole.
    /// </summary>
    /// <remarks>
    /// The managed backend defines the WASI functions once per imports object, acting on the calling store's
    /// program state; making one costs the preopened directories' host handles, and a reset keeps those handles.
    /// </remarks>
    public WasiConfiguration? Wasi { get; init; }

    /// <summary>
    /// A backend-specific hook, called once per <see cref="BackendImports"/> object with the backend's native
    /// linker (the managed backend passes its <see cref="Linker"/>; another backend its own linker type)
    /// after the host functions and WASI are defined. Code using it is tied to that backend; it exists so
    /// that applications relying on a native linker (<c>UdfRegistryOptions.ConfigureLinker</c>) keep working.
    /// </summary>
    public Action<object>? ConfigureNativeLinker { get; init; }
}
