namespace WasmKit.Backends;

/// <summary>
/// The body of a host function as every backend can call it: arguments and results are raw 64-bit slots
/// (see <see cref="ExportInvoker"/> for the encoding), guest memory and the instance's host state come
/// through <paramref name="context"/>. It must not keep the context or the spans past its return.
/// </summary>
/// <param name="context">The calling instance's host state and memory.</param>
/// <param name="arguments">One slot per parameter.</param>
/// <param name="results">One slot per result, to fill.</param>
/// <remarks>
/// Throwing <see cref="WasmTrapException"/> traps the guest with its code; any other exception unwinds
/// through the guest to the caller of the export as it was thrown.
/// </remarks>
public delegate void HostFunctionImplementation(HostCallContext context, ReadOnlySpan<ulong> arguments, Span<ulong> results);
