namespace WasmKit.Tests.Support;

/// <summary>
/// The backends the product-layer tests run against: the source of their <c>[TestFixtureSource]</c>. Another
/// backend's tests add their fixture here (e.g. "wasmtime", from a project reference), and every class that
/// takes a <see cref="BackendFixture"/> runs on it too.
/// </summary>
public static class BackendFixtures
{
    /// <summary>
    /// Every backend fixture: today the managed engine, and the managed engine behind a backend that only
    /// forwards through the seam's interfaces (which shows the product layer needs nothing else).
    /// </summary>
    public static IEnumerable<TestFixtureData> All =>
    [
        new TestFixtureData(new ManagedBackendFixture()).SetArgDisplayNames(ManagedBackendFixture.FixtureName),
        new TestFixtureData(new ForwardingBackendFixture()).SetArgDisplayNames("forwarding"),
    ];

    /// <summary>
    /// <see cref="All"/>, plus the managed engine running the document functions' general bodies (the ones
    /// other backends bind): for the tests of the document functions themselves.
    /// </summary>
    public static IEnumerable<TestFixtureData> WithGeneralHostFunctions =>
    [
        .. All,
        new TestFixtureData(new ManagedGeneralHostFunctionsFixture()).SetArgDisplayNames("managed-general-host-functions"),
    ];
}
