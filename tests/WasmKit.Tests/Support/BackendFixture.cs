using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Udf;

namespace WasmKit.Tests.Support;

/// <summary>
/// One backend the product-layer tests run against (the loader, the pool, the registry, the document
/// functions): test classes take it through <c>[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]</c>
/// and make their backends, registries and loaders through it, so one test source covers every backend.
/// </summary>
public abstract class BackendFixture
{
    /// <summary>The backend's name, as the test names show it.</summary>
    public abstract string Name { get; }

    /// <summary>A new backend configured as a UDF registry needs it: resettable instances, fuel and interruption.</summary>
    public abstract IWasmBackend CreateBackend();

    /// <summary>
    /// The host functions a test instance links for the document functions: the definitions as they are, or
    /// (for fixtures that exercise the general bodies on an engine that has direct entries) without specializations.
    /// </summary>
    public virtual IReadOnlyList<HostFunctionDefinition> DocumentFunctions => DocumentHostFunctions.Definitions;

    /// <summary>A registry on a new backend of this kind; <paramref name="options"/>' own backend is replaced.</summary>
    public virtual UdfRegistry CreateRegistry(UdfRegistryOptions? options = null) =>
        new((options ?? new UdfRegistryOptions()) with { Backend = CreateBackend() });

    /// <summary>A loader on a new backend of this kind.</summary>
    public ComponentLoader CreateLoader() => new(CreateBackend());

    /// <summary>Skips a test that exercises an API only the managed engine has.</summary>
    public void RequireManaged(string why)
    {
        if (Name != ManagedBackendFixture.FixtureName) Assert.Ignore($"Managed engine only: {why}");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
