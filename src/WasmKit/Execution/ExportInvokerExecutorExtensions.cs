using WasmKit.Backends;

namespace WasmKit.Execution;

/// <summary>Runs exports on a <see cref="GuestExecutor"/>'s execution threads.</summary>
public static class ExportInvokerExecutorExtensions
{
    /// <summary>
    /// Calls the export on an execution thread of <paramref name="executor"/> (see <see cref="ExportInvoker.InvokeAsync"/>):
    /// the guest is interrupted when <paramref name="cancellationToken"/> is cancelled, and asynchronous host functions it
    /// calls receive the token and block that execution thread, never the caller's.
    /// </summary>
    /// <param name="invoker">The export.</param>
    /// <param name="executor">Where the guest runs.</param>
    /// <param name="instance">An instance of the invoker's module, not in use by anyone else until the call completes.</param>
    /// <param name="arguments">One slot per parameter; read on the execution thread, so keep it unchanged until the call completes.</param>
    /// <param name="cancellationToken">
    /// Cancelled while the call waits for a thread: the guest never runs and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>). Cancelled while the guest runs: it stops with a <see cref="WasmTrapException"/>
    /// of <see cref="TrapCode.Interrupted"/> (the instance is trapped), or, while it awaits an asynchronous host function that
    /// honours the token, with that function's <see cref="OperationCanceledException"/>.
    /// </param>
    /// <returns>The export's single result (0 when it has none).</returns>
    public static ValueTask<ulong> InvokeOnExecutorAsync(this ExportInvoker invoker, GuestExecutor executor, IBackendInstance instance,
        ReadOnlyMemory<ulong> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(instance);
        return executor.RunAsync((invoker, instance, arguments), static (call, token) =>
        {
            var pending = call.invoker.InvokeAsync(call.instance, call.arguments, token);
            // The seam's default InvokeAsync completes synchronously; a backend that overrides it is waited for here, on the execution thread.
            return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }, cancellationToken);
    }
}
