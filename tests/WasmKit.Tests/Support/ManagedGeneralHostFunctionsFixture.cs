using WasmKit.Backends;

namespace WasmKit.Tests.Support;

/// <summary>
/// The managed engine with the document functions' general, slot-based bodies instead of its direct entries:
/// the bodies every other backend binds, checked here against the same expectations.
/// </summary>
public sealed class ManagedGeneralHostFunctionsFixture : BackendFixture
{
    private static readonly HostFunctionDefinition[] s_general =
        [.. WasmKit.Udf.DocumentHostFunctions.Definitions.Select(d => new HostFunctionDefinition(d.ModuleName, d.Name, d.Type, d.Implementation!))];

    /// <inheritdoc />
    public override string Name => "managed-general-host-functions";

    /// <inheritdoc />
    public override IWasmBackend CreateBackend() => WasmKit.Backends.Managed.ManagedBackend.Create();

    /// <inheritdoc />
    public override IReadOnlyList<HostFunctionDefinition> DocumentFunctions => s_general;
}
