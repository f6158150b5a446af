using System.Buffers;
using WasmKit.Backends;

namespace WasmKit.Execution;

/// <summary>
/// How both engines run an asynchronous host function (<see cref="AsyncHostFunctionImplementation"/>): neither can
/// suspend guest code, so the guest's thread blocks until the host's task completes. Run guests on a
/// <see cref="GuestExecutor"/> so that the blocked thread is an execution thread, never a thread-pool thread.
/// </summary>
/// <remarks>
/// While it blocks, the thread has no <see cref="SynchronizationContext"/>, so the host function's awaits resume on the
/// thread pool and never need the blocked thread (no deadlock under a UI or legacy ASP.NET context). The host function
/// receives <see cref="HostCallCancellation.Current"/>: the token of the guest call, so cancelling the call cancels the
/// await. The task's exception (including <see cref="OperationCanceledException"/>) is rethrown as a synchronous host
/// function's would be: the instance is marked trapped and the exception reaches the caller unchanged. Argument and
/// result slots come from a shared array pool, and each thread reuses one event to block on: a call allocates nothing
/// beyond the host's own task. The event does not spin: host calls that await I/O take milliseconds, and spinning
/// blocked threads would take the CPU from the threads that do work.
/// </remarks>
public static class AsyncHostCalls
{
    // One per thread that ever blocked on a host task (its reusable event), never shared between threads.
    [ThreadStatic]
    private static TaskWaiter? t_waiter;

    /// <summary>A synchronous body that runs <paramref name="body"/> and blocks until it completes (what both backends bind).</summary>
    /// <param name="body">The asynchronous body.</param>
    /// <returns>The blocking body.</returns>
    public static HostFunctionImplementation Blocking(AsyncHostFunctionImplementation body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return (context, arguments, results) => Wait(body, context.State, arguments, results);
    }

    /// <summary>Runs <paramref name="body"/> with copies of the slots, blocks until its task completes, and copies the results back.</summary>
    /// <param name="body">The asynchronous body.</param>
    /// <param name="state">The calling instance's host state.</param>
    /// <param name="arguments">One slot per parameter.</param>
    /// <param name="results">One slot per result, filled from the body's results.</param>
    public static void Wait(AsyncHostFunctionImplementation body, object? state, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        ArgumentNullException.ThrowIfNull(body);
        int total = arguments.Length + results.Length;
        var slots = ArrayPool<ulong>.Shared.Rent(Math.Max(total, 1));
        var context = SynchronizationContext.Current;
        if (context is not null) SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            arguments.CopyTo(slots);
            var resultSlots = slots.AsMemory(arguments.Length, results.Length);
            resultSlots.Span.Clear();
            var pending = body(state, slots.AsMemory(0, arguments.Length), resultSlots, HostCallCancellation.Current);
            if (!pending.IsCompleted) (t_waiter ??= new TaskWaiter()).WaitUntilCompleted(pending);
            pending.GetAwaiter().GetResult();
            resultSlots.Span.CopyTo(results);
        }
        finally
        {
            if (context is not null) SynchronizationContext.SetSynchronizationContext(context);
            // Only once the task has completed: a body that kept the slots past completion broke its contract.
            ArrayPool<ulong>.Shared.Return(slots);
        }
    }

    /// <summary>Blocks a thread until a task completes, with one event reused by every wait on that thread.</summary>
    private sealed class TaskWaiter
    {
        private readonly ManualResetEventSlim _completed = new(false, spinCount: 1);
        private readonly Action _signal;

        public TaskWaiter() => _signal = _completed.Set;

        public void WaitUntilCompleted(ValueTask pending)
        {
            _completed.Reset();
            // ConfigureAwait(false): the signal runs on whichever thread completes the task, never posted to a context.
            pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signal);
            _completed.Wait();
        }
    }
}
