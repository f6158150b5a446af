namespace WasmKit.Pooling;

/// <summary>
/// A rent needed a new instance but the pool's instances already hold <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>
/// of guest memory, and the pool rejects rather than waits (<see cref="MemoryCapPolicy.Reject"/>). Nothing was rented;
/// retrying after rented instances come back may succeed.
/// </summary>
public sealed class InstancePoolExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which pool, and how its memory stands.</param>
    public InstancePoolExhaustedException(string message)
        : base(message)
    {
    }
}
