namespace WasmKit.Backends;

/// <summary>
/// The budgets of the guest code that runs in one instance's store: fuel, and interruption for timeouts
/// and cancellation. Available before the start function runs (<see cref="BackendInstanceOptions.CreateHostState"/>),
/// so the start function can be put under the same limits as later calls.
/// </summary>
/// <remarks>
/// Only the thread that holds the instance sets fuel and withdraws interrupts; <see cref="RequestInterrupt"/>
/// may be called from any thread (a watchdog). The members are plain field writes on the managed engine
/// and meant to be called around every guest call.
/// </remarks>
public interface IExecutionBudget
{
    /// <summary>
    /// The fuel left for guest code (what a unit of fuel buys is the engine's: on the managed engine a
    /// function call or loop iteration). Running out traps with <see cref="TrapCode.OutOfFuel"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend does not consume fuel (<see cref="BackendCapabilities.SupportsFuel"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Setting a negative amount.</exception>
    long Fuel { get; set; }

    /// <summary>
    /// Asks the guest running in this store to stop soon with <see cref="TrapCode.Interrupted"/>; when none
    /// runs, the next guest call traps unless the request is withdrawn first. Thread-safe; does nothing
    /// without <see cref="BackendCapabilities.SupportsInterruption"/>.
    /// </summary>
    void RequestInterrupt();

    /// <summary>Withdraws an interrupt request not yet acted on (a deadline whose run ended meanwhile).</summary>
    void WithdrawInterrupt();

    /// <summary>Interrupts the guest when <paramref name="token"/> is cancelled, until the result is disposed or <see cref="CancelPendingInterrupts"/> runs.</summary>
    /// <param name="token">The token to watch.</param>
    /// <returns>Dispose it to stop watching.</returns>
    /// <exception cref="NotSupportedException">The backend cannot interrupt guest code.</exception>
    IDisposable InterruptOn(CancellationToken token);

    /// <summary>Withdraws the interrupt request and every <see cref="InterruptOn"/> registration still pending, so they cannot hit the next user of the instance (a pool calls this at each return).</summary>
    void CancelPendingInterrupts();
}
