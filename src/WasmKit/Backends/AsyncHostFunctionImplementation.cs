namespace WasmKit.Backends;

/// <summary>
/// The asynchronous contract of a host function (for plugin taps that await I/O): it receives copies of
/// the arguments and the calling instance's host state, fills <paramref name="results"/> and completes.
/// It must not touch guest memory after its first await (the guest is suspended, or blocked, meanwhile;
/// read what it needs before awaiting, through a synchronous host function if need be).
/// </summary>
/// <param name="state">The calling instance's <see cref="IBackendInstance.HostState"/>.</param>
/// <param name="arguments">One slot per parameter.</param>
/// <param name="results">One slot per result, to fill before completing.</param>
/// <param name="cancellationToken">Cancelled when the call that reached the host function is cancelled.</param>
/// <returns>A task that completes when the results are filled.</returns>
/// <remarks>
/// Engines without asynchronous calls (the managed engine today, Wasmtime's .NET API) meet this contract
/// by blocking the calling thread until the task completes; a task that completes synchronously costs nothing extra.
/// </remarks>
public delegate ValueTask AsyncHostFunctionImplementation(object? state, ReadOnlyMemory<ulong> arguments, Memory<ulong> results, CancellationToken cancellationToken);
