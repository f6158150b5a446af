namespace WasmKit.Backends;

/// <summary>
/// A module compiled by an <see cref="IWasmBackend"/>: its interface (imports, exports, memories), typed
/// export invokers, and instantiation. Immutable and thread-safe; its instances may outlive nothing of it
/// (keep the module while instances of it live).
/// </summary>
public interface IBackendModule
{
    /// <summary>The backend that compiled the module.</summary>
    IWasmBackend Backend { get; }

    /// <summary>The module's name.</summary>
    string Name { get; }

    /// <summary>The SHA-256 of the module's bytes, lowercase hex.</summary>
    string ContentHash { get; }

    /// <summary>The imports in declaration order; each <see cref="ImportDescriptor.Type"/> is a <see cref="FunctionType"/>, <see cref="MemoryType"/>, <see cref="TableType"/> or <see cref="GlobalType"/>.</summary>
    IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <summary>The exports in declaration order, typed as <see cref="Imports"/> are.</summary>
    IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <summary>Every memory of the module, imported ones first, exported or not (a memory limit applies to all of them).</summary>
    IReadOnlyList<MemoryType> Memories { get; }

    /// <summary>
    /// An invoker of a function export, shared by every instance of this module: the product layer gets it
    /// once (e.g. per registered UDF) and calls it on whichever instance it holds, without allocating.
    /// </summary>
    /// <param name="export">The export's name.</param>
    /// <returns>The invoker, or <see langword="null"/> when there is no function export of that name.</returns>
    ExportInvoker? GetInvoker(string export);

    /// <summary>
    /// The imports that <paramref name="imports"/> leave unresolved: neither a host function of
    /// <see cref="BackendImports.HostFunctions"/>, nor WASI when configured, nor anything the backend adds
    /// itself (e.g. through <see cref="BackendImports.ConfigureNativeLinker"/>). The product layer refuses
    /// such a module up front instead of at its first call. Types are checked at instantiation.
    /// </summary>
    /// <param name="imports">What the host would offer.</param>
    /// <returns>The unresolved imports; empty when every import resolves.</returns>
    IReadOnlyList<ImportDescriptor> FindUnresolvedImports(BackendImports imports);

    /// <summary>
    /// Creates an instance in a store of its own: links the imports, applies the limits, creates the host
    /// state (<see cref="BackendInstanceOptions.CreateHostState"/>, before the start function runs) and runs
    /// the start function. Pass the same options (and so the same <see cref="BackendImports"/>) for every
    /// instance of a pool: a backend caches its linking work per <see cref="BackendImports"/> object.
    /// </summary>
    /// <param name="options">Host functions, WASI, limits and host state.</param>
    /// <returns>The instance; dispose it to release its store.</returns>
    /// <exception cref="WasmLinkException">An import cannot be resolved or does not match, or a limit is exceeded at instantiation.</exception>
    /// <exception cref="WasmTrapException">The start function or an initializer trapped (out of fuel, interrupted, out of bounds, ...).</exception>
    IBackendInstance Instantiate(BackendInstanceOptions options);
}
