namespace WasmKit.Execution;

/// <summary>What <see cref="GuestExecutor.RunAsync{TState, TResult}"/> does when <see cref="GuestExecutorOptions.MaxQueuedWork"/> items already wait.</summary>
public enum QueueFullPolicy
{
    /// <summary>The caller waits asynchronously (holding no thread) until an item leaves the queue, or its token is cancelled.</summary>
    Wait,

    /// <summary>The returned task faults at once with <see cref="GuestExecutorRejectedException"/>.</summary>
    Reject,
}
