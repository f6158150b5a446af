namespace WasmKit.Backends;

/// <summary>
/// An engine that runs WebAssembly for WasmKit's product layer (component loader, instance pool, UDF
/// registry): it compiles modules, and its modules make instances. One backend object stands for one
/// engine configuration; it is thread-safe and lives as long as the modules it compiled.
/// </summary>
/// <remarks>
/// The seam follows the lifetimes: <see cref="IWasmBackend"/> (one per configuration) compiles an
/// <see cref="IBackendModule"/> (one per module's bytes), which instantiates <see cref="IBackendInstance"/>s
/// (one per store). Errors crossing the seam are WasmKit's own exception types:
/// <see cref="WasmFormatException"/>, <see cref="WasmValidationException"/>,
/// <see cref="WasmImplementationLimitException"/> at compilation, <see cref="WasmLinkException"/> at
/// instantiation, <see cref="WasmTrapException"/> (with its <see cref="TrapCode"/>) when guest code traps.
/// A backend keeps the engine's original error as the inner exception where it has one.
/// </remarks>
public interface IWasmBackend
{
    /// <summary>A short name of the engine, e.g. "managed" or "wasmtime"; used in errors, statistics and test names.</summary>
    string Name { get; }

    /// <summary>What the engine can do under this configuration: fuel, interruption, resettable instances, memory caps.</summary>
    BackendCapabilities Capabilities { get; }

    /// <summary>
    /// The part of a compile-cache key that depends on the engine and its configuration: two backends
    /// with the same key compile the same bytes to interchangeable modules. A module cache key is
    /// <c>ContentHash + "/" + ConfigurationKey</c> (the content hash being <see cref="IBackendModule.ContentHash"/>).
    /// </summary>
    string ConfigurationKey { get; }

    /// <summary>Decodes, validates and compiles a module.</summary>
    /// <param name="bytes">The module in the binary format.</param>
    /// <param name="name">The module's name, for errors and backtraces; a default is chosen when null.</param>
    /// <returns>The compiled module.</returns>
    /// <exception cref="WasmFormatException">The bytes are not a well-formed module.</exception>
    /// <exception cref="WasmValidationException">The module is malformed by the validation rules.</exception>
    /// <exception cref="WasmImplementationLimitException">The module is valid but exceeds what this engine supports (e.g. a proposal it lacks).</exception>
    IBackendModule Compile(ReadOnlySpan<byte> bytes, string? name = null);
}
