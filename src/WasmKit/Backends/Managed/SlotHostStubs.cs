using System.Runtime.CompilerServices;
using WasmKit.Runtime;

namespace WasmKit.Backends.Managed;

/// <summary>
/// Stubs in the compiled calling convention for host functions defined through the seam
/// (<see cref="HostFunctionImplementation"/>): each packs the guest's arguments into slots on the stack,
/// calls the implementation found as its context's host delegate and unpacks the result. One generic
/// method per arity (Generated/SlotHostStubs.g.cs), instantiated per signature: no boxing, no allocation.
/// </summary>
internal static partial class SlotHostStubs
{
    /// <summary>The most parameters a stub takes; functions with more (or several results) take the boxing path.</summary>
    public const int MaximumParameters = 8;

    /// <summary>The generic stub definition for a parameter count, with or without a result.</summary>
    public static System.Reflection.MethodInfo Definition(int parameters, bool hasResult) =>
        typeof(SlotHostStubs).GetMethod((hasResult ? "Func" : "Action") + parameters)!;

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
