namespace WasmKit.Backends.Managed;

/// <summary>WasmKit's own engine behind the backend seam (placeholder; the implementation follows).</summary>
public sealed class ManagedBackend
{
    /// <summary>The managed backend's <see cref="IWasmBackend.Name"/>.</summary>
    public const string BackendName = "managed";
}
