namespace WasmKit.Wasi;

/// <summary>
/// Carries a WASI error number out of helper code to the host function that returns it to the
/// guest. Never leaves WasmKit: every WASI function catches it.
/// </summary>
internal sealed class WasiErrnoException(int errno) : Exception($"WASI errno {errno}")
{
    public int Errno { get; } = errno;
}
