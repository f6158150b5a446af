using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Keeps guest recursion from overflowing the .NET stack. Every compiled function compares the
/// address of one of its locals with <see cref="Limit"/>; only when it is below does it call
/// <see cref="Check"/>, which asks the runtime whether enough stack remains and moves the limit
/// one step further down. So the common path is one compare, and the runtime's own check runs
/// once per <see cref="Step"/> bytes of guest stack. One guard serves all instances of a store.
/// </summary>
internal sealed class StackGuard
{
    /// <summary>
    /// How far below a checked point the next check happens. The runtime's check promises
    /// 128 KiB beyond the point it is asked at on 64-bit (a quarter of the stack on threads of
    /// less than 512 KiB, so 64 KiB on a 256 KiB thread); a 16 KiB step leaves the rest for the
    /// frames between checks and for unwinding the trap.
    /// </summary>
    public const nuint Step = 16 * 1024;

    /// <summary>Below this stack address compiled code calls <see cref="Check"/>.</summary>
    public nuint Limit;

    /// <summary>Sets the limit for a call entering the guest from the host, at the caller's stack depth; returns the previous limit to restore.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe nuint Enter()
    {
        nuint previous = Limit;
        byte marker = 0;
        nuint here = (nuint)(&marker);
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new WasmTrapException(TrapCode.CallStackExhausted);
        Limit = here > Step ? here - Step : 0;
        return previous;
    }

    /// <summary>Restores the limit saved by <see cref="Enter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit(nuint previous) => Limit = previous;

    /// <summary>Called by compiled code when its frame is below <see cref="Limit"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Check(StackGuard guard)
    {
        byte marker = 0;
        nuint here = (nuint)(&marker);
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new WasmTrapException(TrapCode.CallStackExhausted);
        guard.Limit = here > Step ? here - Step : 0;
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
        Span<byte> step = stackalloc byte[StepBytes];
        step[0] = (byte)bytes;
        // Using the step after the call keeps it alive and the call out of tail position.
        return ProbeFrame(bytes - StepBytes) + step[0];
    }

    private const int StepBytes = 16 * 1024;
}
