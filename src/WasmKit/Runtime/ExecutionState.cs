using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// The per-store state compiled code checks as it runs: the stack limit, fuel, the interrupt flag
/// and the calling instance for host functions. One object per store, shared by all its instances,
/// reached from every function through <see cref="InstanceContext.State"/>.
/// </summary>
/// <remarks>
/// Stack: every function compares the address of one of its locals with <see cref="StackLimit"/>;
/// only below it does it call <see cref="CheckStack"/>, which asks the runtime whether enough stack
/// remains and moves the limit one <see cref="StackStep"/> further down. So the common path is one
/// compare, and the runtime's own check runs once per step of guest stack.
/// </remarks>
internal sealed class ExecutionState
{
    /// <summary>
    /// How far below a checked point the next check happens. The runtime's check promises
    /// 128 KiB beyond the point it is asked at on 64-bit (a quarter of the stack on threads of
    /// less than 512 KiB, so 64 KiB on a 256 KiB thread); a 16 KiB step leaves the rest for the
    /// frames between checks and for unwinding the trap.
    /// </summary>
    public const nuint StackStep = 16 * 1024;

    private const int ProbeStepBytes = 16 * 1024;

    /// <summary>Below this stack address compiled code calls <see cref="CheckStack"/>.</summary>
    public nuint StackLimit;

    /// <summary>The lowest address guest code may use in the current call from the host (from StoreLimits.MaxStackBytes), or 0.</summary>
    public nuint StackFloor;

    /// <summary>Remaining fuel; compiled code (when the engine consumes fuel) traps when it drops below zero.</summary>
    public long Fuel;

    /// <summary>Non-zero when the host asked the running guest to stop (when the engine is interruptible).</summary>
    public volatile int InterruptRequested;

    /// <summary>The instance that last called out of compiled code into an import or a table, for <see cref="Caller"/>.</summary>
    public InstanceContext? Caller;

    /// <summary>The store's limit on guest stack bytes, 0 for none.</summary>
    public int MaxStackBytes;

    /// <summary>True when the engine consumes fuel: host work done for the guest is charged to <see cref="Fuel"/>.</summary>
    public bool MetersFuel;

    /// <summary>True when the engine is interruptible: long host work done for the guest checks <see cref="InterruptRequested"/>.</summary>
    public bool Interruptible;

    // A stretch [_confirmedLow, _confirmedLow + _confirmedSpan] of one thread's stack on whose lowest
    // point the runtime confirmed enough stack. Thread stacks never overlap, so an entry whose address
    // lies in the stretch runs on that thread, above a confirmed point: it needs no new confirmation.
    // That makes the common entry one subtraction and one compare, with no thread-local read.
    private nuint _confirmedLow = nuint.MaxValue;
    private nuint _confirmedSpan;
    private Thread? _confirmedThread;

    /// <summary>
    /// Sets the stack limit for a call entering the guest from the host, from the caller's stack depth.
    /// Nothing needs restoring afterwards: a limit the runtime confirmed stays safe for the rest of
    /// the thread's deeper calls, and every entry (on any thread) sets its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Enter()
    {
        byte marker = 0;
        nuint here = (nuint)(&marker);
        // Below the stretch the difference wraps around to a huge value, so one unsigned compare suffices.
        if (here - _confirmedLow > _confirmedSpan) ConfirmStack(here);
        nuint floor = MaxStackBytes > 0 && here > (nuint)MaxStackBytes ? here - (nuint)MaxStackBytes : 0;
        StackFloor = floor;
        StackLimit = Math.Max(here > StackStep ? here - StackStep : 0, floor);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ConfirmStack(nuint here)
    {
        var thread = Thread.CurrentThread;
        nuint high = _confirmedLow + _confirmedSpan;
        if (thread == _confirmedThread && here > high)
        {
            // Shallower than before on the same thread: the stretch grows upwards, the confirmed point stays.
            _confirmedSpan = here - _confirmedLow;
            return;
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new WasmTrapException(TrapCode.CallStackExhausted);
        if (thread == _confirmedThread)
        {
            // Deeper on the same thread: confirmed here now, the stretch grows downwards.
            _confirmedSpan = high - here;
        }
        else
        {
            _confirmedThread = thread;
            _confirmedSpan = 0;
        }
        _confirmedLow = here;
    }

    /// <summary>Called by compiled code when its frame is below <see cref="StackLimit"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void CheckStack(ExecutionState state)
    {
        byte marker = 0;
        nuint here = (nuint)(&marker);
        if (here < state.StackFloor || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new WasmTrapException(TrapCode.CallStackExhausted);
        state.StackLimit = Math.Max(here > StackStep ? here - StackStep : 0, state.StackFloor);
    }

    /// <summary>
    /// Makes sure a frame of <paramref name="bytes"/> fits below the current point, in steps small
    /// enough that each is covered by the runtime's promise, so no step can touch the guard page.
    /// </summary>
    public static void CheckFrame(int bytes) => ProbeFrame(bytes);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ProbeFrame(int bytes)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new WasmTrapException(TrapCode.CallStackExhausted);
        if (bytes <= 0) return 0;
        Span<byte> step = stackalloc byte[ProbeStepBytes];
        step[0] = (byte)bytes;
        // Using the step after the call keeps it alive and the call out of tail position.
        return ProbeFrame(bytes - ProbeStepBytes) + step[0];
    }

    /// <summary>Charges one unit of fuel; called at function entries and loop iterations when the engine consumes fuel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConsumeFuel(ExecutionState state)
    {
        if (--state.Fuel < 0) ThrowOutOfFuel(state);
    }

    /// <summary>Traps if the host asked the guest to stop; called at function entries and loop iterations when the engine is interruptible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckInterrupt(ExecutionState state)
    {
        if (state.InterruptRequested != 0) ThrowInterrupted(state);
    }

    /// <summary>
    /// Charges host work done on the guest's behalf (bytes copied by a WASI call, pages grown) and
    /// honours a pending interrupt, so that a guest cannot escape its fuel or deadline through the host.
    /// Engines without fuel or interruption pay one predictable branch each.
    /// </summary>
    /// <param name="units">Fuel units the work costs; 0 only checks for an interrupt.</param>
    /// <exception cref="WasmTrapException">With <see cref="TrapCode.OutOfFuel"/> or <see cref="TrapCode.Interrupted"/>.</exception>
    public void ChargeHostWork(long units)
    {
        if (MetersFuel && units > 0)
        {
            // Saturating: a huge charge must not wrap the remaining fuel back to a positive number.
            Fuel = units > Fuel ? -1 : Fuel - units;
            if (Fuel < 0) ThrowOutOfFuel(this);
        }
        if (Interruptible) CheckInterrupt(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfFuel(ExecutionState state)
    {
        state.Fuel = 0;
        throw new WasmTrapException(TrapCode.OutOfFuel);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInterrupted(ExecutionState state)
    {
        // The request is consumed by the trap it causes; later calls run normally.
        state.InterruptRequested = 0;
        throw new WasmTrapException(TrapCode.Interrupted);
    }
}
