using WasmKit.Wasi;

namespace WasmKit.Backends.Managed;

/// <summary>
/// The managed backend's linking work for one <see cref="BackendImports"/> object: the linker, and when the
/// imports have WASI the factory of the program state each instance gets (the linker's WASI functions act on
/// the calling store's, <see cref="Store.Wasi"/>).
/// </summary>
/// <param name="Linker">The linker instances are made with.</param>
/// <param name="Wasi">Makes each instance's WASI state; null without WASI (or for a linker given by the caller, whose WASI is its own).</param>
internal sealed record ManagedLinkedImports(Linker Linker, WasiContextFactory? Wasi);
