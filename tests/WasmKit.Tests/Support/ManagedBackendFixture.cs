using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Udf;

namespace WasmKit.Tests.Support;

/// <summary>The managed engine, as the product layer uses it by default.</summary>
public sealed class ManagedBackendFixture : BackendFixture
{
    /// <summary>The fixture's name.</summary>
    public const string FixtureName = "managed";

    /// <inheritdoc />
    public override string Name => FixtureName;

    /// <inheritdoc />
    public override IWasmBackend CreateBackend() => ManagedBackend.Create();

    /// <summary>The registry's own default: no backend given, so it makes a managed engine of its own.</summary>
    public override UdfRegistry CreateRegistry(UdfRegistryOptions? options = null) =>
        new((options ?? new UdfRegistryOptions()) with { Backend = null });
}
