namespace WasmKit.Execution;

/// <summary>
/// A <see cref="GuestExecutor"/> turned work away: its queue held <see cref="GuestExecutorOptions.MaxQueuedWork"/>
/// items and its policy is <see cref="QueueFullPolicy.Reject"/>. The work never ran; retrying later may succeed.
/// </summary>
public sealed class GuestExecutorRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was rejected and why.</param>
    public GuestExecutorRejectedException(string message)
        : base(message)
    {
    }
}
