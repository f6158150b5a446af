using System.Numerics;
using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Exact WebAssembly numeric semantics for compiled code. Unsigned operations reinterpret the
/// signed .NET value; traps are thrown as <see cref="WasmTrapException"/> through <see cref="Traps"/>.
/// </summary>
internal static partial class Numerics
{
    // Division and remainder: check the trapping cases before .NET could throw its own exceptions.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        if (b == -1)
        {
            if (a == int.MinValue) throw Traps.Create(TrapCode.IntegerOverflow);
            return -a;
        }
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        // x % -1 is always 0; .NET would throw for int.MinValue % -1.
        if (b == -1) return 0;
        return a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        if (b == -1)
        {
            if (a == long.MinValue) throw Traps.Create(TrapCode.IntegerOverflow);
            return -a;
        }
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        if (b == -1) return 0;
        return a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) throw Traps.Create(TrapCode.IntegerDivideByZero);
        return (long)((ulong)a % (ulong)b);
    }

    // Rotations and shifts: C# already masks shift counts to 5 (int) or 6 (long) bits, as WebAssembly does.

    // Rotates are written as two shifts joined by an add (the halves never overlap, so add equals or)
    // rather than as the rotate intrinsic: the .NET 10 JIT drops the flag test after ror/rol when the
    // result is compared with zero (dotnet/runtime#129288), and it does not turn this form into ror.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Rotl(int a, int b)
    {
        int n = b & 31;
        return n == 0 ? a : (a << n) + (int)((uint)a >> (32 - n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Rotr(int a, int b)
    {
        int n = b & 31;
        return n == 0 ? a : (int)((uint)a >> n) + (a << (32 - n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Rotl(long a, long b)
    {
        int n = (int)b & 63;
        return n == 0 ? a : (a << n) + (long)((ulong)a >> (64 - n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Rotr(long a, long b)
    {
        int n = (int)b & 63;
        return n == 0 ? a : (long)((ulong)a >> n) + (a << (64 - n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Shl(int a, int b) => a << b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32ShrS(int a, int b) => a >> b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32ShrU(int a, int b) => (int)((uint)a >> b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Shl(long a, long b) => a << (int)b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64ShrS(long a, long b) => a >> (int)b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64ShrU(long a, long b) => (long)((ulong)a >> (int)b);

    // Bit counting: BitOperations returns the full width for zero, as WebAssembly requires.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Clz(int a) => BitOperations.LeadingZeroCount((uint)a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Ctz(int a) => BitOperations.TrailingZeroCount(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Popcnt(int a) => BitOperations.PopCount((uint)a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Clz(long a) => BitOperations.LeadingZeroCount((ulong)a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Ctz(long a) => BitOperations.TrailingZeroCount(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Popcnt(long a) => BitOperations.PopCount((ulong)a);

    // Sign extension from the low bits.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Extend8S(int a) => (sbyte)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Extend16S(int a) => (short)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Extend8S(long a) => (sbyte)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Extend16S(long a) => (short)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Extend32S(long a) => (int)a;
}
