using System.Runtime.CompilerServices;
using WasmKit.Runtime;

namespace WasmKit.Backends.Managed;

/// <summary>
/// Stubs in the compiled calling convention for host functions defined through the seam
/// (<see cref="HostFunctionImplementation"/>): each packs the guest's arguments into slots on the stack,
/// calls the implementation found as its context's host delegate and unpacks the result. One generic
/// method per arity, instantiated per signature: no boxing, no allocation.
/// </summary>
internal static class SlotHostStubs
{
    /// <summary>The most parameters a stub takes; functions with more (or several results) take the boxing path.</summary>
    public const int MaximumParameters = 8;

    /// <summary>The generic stub definition for a parameter count, with or without a result.</summary>
    public static System.Reflection.MethodInfo Definition(int parameters, bool hasResult) =>
        typeof(SlotHostStubs).GetMethod((hasResult ? "Func" : "Action") + parameters)!;

    public static TResult Func0<TResult>(InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[1];
        Call(context, slots[..0], slots[0..]);
        return FromSlot<TResult>(slots[0]);
    }

    public static void Action0(InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[1];
        Call(context, slots[..0], []);
    }

    public static TResult Func1<T1, TResult>(T1 a1, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[2];
        slots[0] = ToSlot(a1);
        Call(context, slots[..1], slots[1..]);
        return FromSlot<TResult>(slots[1]);
    }

    public static void Action1<T1>(T1 a1, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[1];
        slots[0] = ToSlot(a1);
        Call(context, slots[..1], []);
    }

    public static TResult Func2<T1, T2, TResult>(T1 a1, T2 a2, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[3];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        Call(context, slots[..2], slots[2..]);
        return FromSlot<TResult>(slots[2]);
    }

    public static void Action2<T1, T2>(T1 a1, T2 a2, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[2];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        Call(context, slots[..2], []);
    }

    public static TResult Func3<T1, T2, T3, TResult>(T1 a1, T2 a2, T3 a3, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[4];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        Call(context, slots[..3], slots[3..]);
        return FromSlot<TResult>(slots[3]);
    }

    public static void Action3<T1, T2, T3>(T1 a1, T2 a2, T3 a3, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[3];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        Call(context, slots[..3], []);
    }

    public static TResult Func4<T1, T2, T3, T4, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[5];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        Call(context, slots[..4], slots[4..]);
        return FromSlot<TResult>(slots[4]);
    }

    public static void Action4<T1, T2, T3, T4>(T1 a1, T2 a2, T3 a3, T4 a4, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[4];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        Call(context, slots[..4], []);
    }

    public static TResult Func5<T1, T2, T3, T4, T5, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[6];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        Call(context, slots[..5], slots[5..]);
        return FromSlot<TResult>(slots[5]);
    }

    public static void Action5<T1, T2, T3, T4, T5>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[5];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        Call(context, slots[..5], []);
    }

    public static TResult Func6<T1, T2, T3, T4, T5, T6, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[7];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        Call(context, slots[..6], slots[6..]);
        return FromSlot<TResult>(slots[6]);
    }

    public static void Action6<T1, T2, T3, T4, T5, T6>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[6];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        Call(context, slots[..6], []);
    }

    public static TResult Func7<T1, T2, T3, T4, T5, T6, T7, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[8];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        slots[6] = ToSlot(a7);
        Call(context, slots[..7], slots[7..]);
        return FromSlot<TResult>(slots[7]);
    }

    public static void Action7<T1, T2, T3, T4, T5, T6, T7>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[7];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        slots[6] = ToSlot(a7);
        Call(context, slots[..7], []);
    }

    public static TResult Func8<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[9];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        slots[6] = ToSlot(a7);
        slots[7] = ToSlot(a8);
        Call(context, slots[..8], slots[8..]);
        return FromSlot<TResult>(slots[8]);
    }

    public static void Action8<T1, T2, T3, T4, T5, T6, T7, T8>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, InstanceContext context)
    {
        Span<ulong> slots = stackalloc ulong[8];
        slots[0] = ToSlot(a1);
        slots[1] = ToSlot(a2);
        slots[2] = ToSlot(a3);
        slots[3] = ToSlot(a4);
        slots[4] = ToSlot(a5);
        slots[5] = ToSlot(a6);
        slots[6] = ToSlot(a7);
        slots[7] = ToSlot(a8);
        Call(context, slots[..8], []);
    }

    private static void Call(InstanceContext context, ReadOnlySpan<ulong> arguments, Span<ulong> results) =>
        Unsafe.As<HostFunctionImplementation>(context.HostDelegate!)(new HostCallContext(context.Store.Data, context.CallingContext?.Memory0), arguments, results);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToSlot<T>(T value)
    {
        if (typeof(T) == typeof(int)) return (uint)Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(long)) return (ulong)Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(float)) return (uint)BitConverter.SingleToInt32Bits(Unsafe.As<T, float>(ref value));
        return (ulong)BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromSlot<T>(ulong bits)
    {
        if (typeof(T) == typeof(int)) { int v = (int)bits; return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(long)) { long v = (long)bits; return Unsafe.As<long, T>(ref v); }
        if (typeof(T) == typeof(float)) { float v = BitConverter.Int32BitsToSingle((int)bits); return Unsafe.As<float, T>(ref v); }
        double d = BitConverter.Int64BitsToDouble((long)bits);
        return Unsafe.As<double, T>(ref d);
    }
}
