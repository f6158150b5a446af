using WasmKit.Backends;

namespace WasmKit.Udf;

/// <summary>
/// The watchdog's view of the guest code running in one store on a caller's behalf: the start
/// function at instantiation, <c>wasmkit_alloc</c>, and each UDF evaluation. Only the thread that
/// holds the store begins and ends a run; the watchdog thread reads it and requests the interrupt
/// through the instance's budget (any backend that supports interruption).
/// </summary>
internal sealed class UdfDeadline(IExecutionBudget budget, UdfWatchdog watchdog)
{
    private int _running;
    private int _generation;
    private long _startTick;

    /// <summary>Whether guest code runs under this deadline now.</summary>
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>Starts a run with a full timeout of its own.</summary>
    public void Begin()
    {
        _generation++;
        _startTick = watchdog.Now;
        Volatile.Write(ref _running, 1);
        budget.WithdrawInterrupt();
        watchdog.EnsureRunning();
    }

    /// <summary>Ends the run; a late interrupt request meant for it is withdrawn.</summary>
    public void End()
    {
        Volatile.Write(ref _running, 0);
        budget.WithdrawInterrupt();
    }

    /// <summary>
    /// Called by the watchdog at each tick: interrupts a run that has lasted <paramref name="limitTicks"/>
    /// ticks. Returns whether one is running.
    /// </summary>
    public bool Check(long now, long limitTicks)
    {
        int generation = Volatile.Read(ref _generation);
        if (Volatile.Read(ref _running) == 0) return false;
        if (now - Volatile.Read(ref _startTick) < limitTicks) return true;
        budget.RequestInterrupt();
        // The run may have ended (and the next begun) meanwhile: the request was not for it.
        if (Volatile.Read(ref _generation) != generation || Volatile.Read(ref _running) == 0) budget.WithdrawInterrupt();
        return true;
    }
}
