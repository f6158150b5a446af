using WasmKit.Backends;

namespace WasmKit.Execution;

/// <summary>
/// The cancellation token of the guest call running on the current thread, which asynchronous host functions
/// receive (<see cref="AsyncHostFunctionImplementation"/>'s token). <see cref="ExportInvoker.InvokeAsync"/> sets it
/// for the duration of its call; a host function the guest calls runs on the same thread (neither engine moves a
/// guest between threads), so a thread-local scope is exactly the call's scope.
/// </summary>
public static class HostCallCancellation
{
    // Per thread, not shared: each thread sees only the token of the call it is running (like SynchronizationContext.Current).
    [ThreadStatic]
    private static CancellationToken t_current;

    /// <summary>The token of the guest call running on this thread; <see cref="CancellationToken.None"/> outside one.</summary>
    public static CancellationToken Current => t_current;

    /// <summary>Makes <paramref name="token"/> the current call's token until the result is disposed (on the same thread), which restores the previous one.</summary>
    /// <param name="token">The call's token.</param>
    /// <returns>Dispose it when the call ends.</returns>
    public static Scope Enter(CancellationToken token)
    {
        var previous = t_current;
        t_current = token;
        return new Scope(previous);
    }

    /// <summary>The extent of one call's token; disposing it restores the token of the enclosing call.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly CancellationToken _previous;

        internal Scope(CancellationToken previous) => _previous = previous;

        /// <summary>Restores the enclosing call's token.</summary>
        public void Dispose() => t_current = _previous;
    }
}
