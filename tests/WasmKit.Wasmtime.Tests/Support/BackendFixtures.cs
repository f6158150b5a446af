namespace WasmKit.Tests.Support;

/// <summary>
/// The backends the shared product-layer tests run against in this project: Wasmtime. It replaces the core
/// test project's list (managed, forwarding), so the same test sources run here on Wasmtime only.
/// </summary>
public static class BackendFixtures
{
    /// <summary>Every backend fixture of this project.</summary>
    public static IEnumerable<TestFixtureData> All =>
    [
        new TestFixtureData(new WasmtimeBackendFixture()).SetArgDisplayNames(WasmtimeBackendFixture.FixtureName),
    ];

    /// <summary>The document functions' tests: Wasmtime always runs their general bodies.</summary>
    public static IEnumerable<TestFixtureData> WithGeneralHostFunctions => All;
}
