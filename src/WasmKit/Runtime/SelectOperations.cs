using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary><c>select</c> per operand type; inlined, so the JIT can turn it into a conditional move.</summary>
internal static class SelectOperations
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32(int first, int second, int condition) => condition != 0 ? first : second;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64(long first, long second, int condition) => condition != 0 ? first : second;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float first, float second, int condition) => condition != 0 ? first : second;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64(double first, double second, int condition) => condition != 0 ? first : second;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object? Reference(object? first, object? second, int condition) => condition != 0 ? first : second;
}
