namespace WasmKit.Pooling;

/// <summary>
/// Wakes renters that wait for guest memory (<see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>) when an instance comes
/// back or is discarded. A waiter registers, retries, then sleeps; a pulse after a state change wakes a registered one,
/// so no wake-up is lost (a spare one only makes some waiter retry).
/// </summary>
internal sealed class ReturnSignal
{
    private readonly SemaphoreSlim _wakeUps = new(0);
    private int _sleepers;

    /// <summary>Counts the caller as waiting; retry once more after this, before sleeping.</summary>
    public void Register() => Interlocked.Increment(ref _sleepers);

    /// <summary>Stops counting the caller as waiting.</summary>
    public void Unregister() => Interlocked.Decrement(ref _sleepers);

    /// <summary>Sleeps until a pulse or the timeout; false on timeout.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken) => _wakeUps.Wait(timeout, cancellationToken);

    /// <summary>Sleeps asynchronously until a pulse or the timeout; false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wakeUps.WaitAsync(timeout, cancellationToken);

    /// <summary>Wakes up to <paramref name="count"/> registered waiters.</summary>
    public void Pulse(int count = 1)
    {
        int sleepers = Volatile.Read(ref _sleepers);
        if (sleepers > 0) _wakeUps.Release(Math.Min(count, sleepers));
    }
}
