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
    /// How far below a checked point the next check happens. The runtime's check guarantees
    /// at least 64 KiB (128 KiB on 64-bit) beyond the point it was asked at, so half of that
    /// leaves room for the largest frame the compiler emits between checks.
    /// </summary>
    public const nuint Step = 32 * 1024;

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
}
