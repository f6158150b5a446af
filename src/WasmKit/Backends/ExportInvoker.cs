using WasmKit.Execution;

namespace WasmKit.Backends;

/// <summary>
/// Calls one function export of a module on any of its instances, with arguments and results as raw
/// 64-bit slots: i32 and f32 in the low 32 bits (f32 as its bit pattern), i64 as is, f64 as its bit
/// pattern. Obtained once from <see cref="IBackendModule.GetInvoker"/> and shared by the module's instances;
/// a call neither boxes nor allocates on the managed engine.
/// </summary>
/// <remarks>
/// A trap surfaces as <see cref="WasmTrapException"/> (and marks the instance <see cref="IBackendInstance.HasTrapped"/>);
/// an exception thrown by a host function propagates as it was thrown. Calls on one instance must not overlap.
/// </remarks>
public abstract class ExportInvoker
{
    /// <summary>Creates an invoker of an export of the given type.</summary>
    /// <param name="name">The export's name.</param>
    /// <param name="type">The export's function type.</param>
    protected ExportInvoker(string name, FunctionType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
    }

    /// <summary>The export's name.</summary>
    public string Name { get; }

    /// <summary>The export's function type.</summary>
    public FunctionType Type { get; }

    /// <summary>Calls the export and returns its single result (0 when it has none).</summary>
    /// <param name="instance">An instance of the invoker's module.</param>
    /// <param name="arguments">One slot per parameter.</param>
    /// <returns>The result's raw bits.</returns>
    /// <exception cref="ArgumentException">The instance is of another module, the argument count is wrong, or the function has several results.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public abstract ulong Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments);

    /// <summary>Calls the export with any number of results.</summary>
    /// <param name="instance">An instance of the invoker's module.</param>
    /// <param name="arguments">One slot per parameter.</param>
    /// <param name="results">Receives one slot per result.</param>
    /// <exception cref="ArgumentException">The instance is of another module, or a span has the wrong length.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public abstract void Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments, Span<ulong> results);

    /// <summary>
    /// The asynchronous call contract (for host functions that await, such as plugin taps): calls the export
    /// and completes with its single result; cancelling <paramref name="cancellationToken"/> interrupts the guest
    /// (<see cref="TrapCode.Interrupted"/>) where the backend supports interruption.
    /// </summary>
    /// <remarks>
    /// The default implementation, used by the managed engine today, runs the call synchronously on the
    /// calling thread with the token watched by <see cref="IExecutionBudget.InterruptOn"/>, and returns a
    /// completed task; an asynchronous host function met on the way is waited for by blocking
    /// (see <see cref="AsyncHostFunctionImplementation"/>) and receives the token through <see cref="HostCallCancellation"/>.
    /// A backend may override it with a truly asynchronous call. To keep the blocking off the caller's thread, call
    /// <see cref="ExportInvokerExecutorExtensions.InvokeOnExecutorAsync"/> instead.
    /// </remarks>
    /// <param name="instance">An instance of the invoker's module.</param>
    /// <param name="arguments">One slot per parameter.</param>
    /// <param name="cancellationToken">Interrupts the guest when cancelled.</param>
    /// <returns>The result's raw bits.</returns>
    public virtual ValueTask<ulong> InvokeAsync(IBackendInstance instance, ReadOnlyMemory<ulong> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<ulong>(cancellationToken);
        try
        {
            if (!cancellationToken.CanBeCanceled) return new ValueTask<ulong>(Invoke(instance, arguments.Span));
            // Asynchronous host functions the guest calls on this thread receive the token (HostCallCancellation.Current).
            using var hostCalls = HostCallCancellation.Enter(cancellationToken);
            if (!instance.Module.Backend.Capabilities.SupportsInterruption)
                return new ValueTask<ulong>(Invoke(instance, arguments.Span));
            using (instance.InterruptOn(cancellationToken))
                return new ValueTask<ulong>(Invoke(instance, arguments.Span));
        }
        catch (Exception error)
        {
            return ValueTask.FromException<ulong>(error);
        }
    }
}
