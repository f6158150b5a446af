using WasmKit.Backends;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Support;

/// <summary>
/// The Wasmtime backend as the product layer uses it. Each <see cref="CreateBackend"/> makes a new backend
/// (tests rely on distinct backends being distinct engines), with Wasmtime's on-demand allocator: hundreds
/// of pooling allocators would each reserve address space for their slots. The pooling allocator has tests
/// of its own (<c>WasmtimeBackendTests</c>). <see cref="WasmtimeTestRun"/> disposes the backends at the end.
/// </summary>
public sealed class WasmtimeBackendFixture : BackendFixture
{
    /// <summary>The fixture's name.</summary>
    public const string FixtureName = "wasmtime";

    /// <inheritdoc />
    public override string Name => FixtureName;

    /// <inheritdoc />
    public override IWasmBackend CreateBackend() =>
        WasmtimeTestRun.Track(new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false }));
}
