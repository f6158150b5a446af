using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Loads and stores of linear memory, called by compiled code and inlined by the JIT. The
/// effective address is computed in 64 bits (a 32-bit address plus a 32-bit offset cannot wrap),
/// and checked against the memory's current length before the unaligned little-endian access. Compiled
/// code passes the base and length from its memory view (two locals, see FunctionCompiler.MemoryView).
/// </summary>
internal static unsafe class MemoryAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Address(nint memoryBase, ulong byteLength, int address, long offset, int size)
    {
        ulong effective = (ulong)(uint)address + (ulong)offset;
        if (effective + (ulong)size > byteLength) throw Traps.Create(TrapCode.MemoryOutOfBounds);
        return (byte*)memoryBase + effective;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Load(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<int>(Address(memoryBase, byteLength, address, offset, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<long>(Address(memoryBase, byteLength, address, offset, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Load(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<float>(Address(memoryBase, byteLength, address, offset, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Load(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<double>(Address(memoryBase, byteLength, address, offset, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Load8S(int address, nint memoryBase, ulong byteLength, long offset) => *(sbyte*)Address(memoryBase, byteLength, address, offset, 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Load8U(int address, nint memoryBase, ulong byteLength, long offset) => *Address(memoryBase, byteLength, address, offset, 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Load16S(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<short>(Address(memoryBase, byteLength, address, offset, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Load16U(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<ushort>(Address(memoryBase, byteLength, address, offset, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load8S(int address, nint memoryBase, ulong byteLength, long offset) => *(sbyte*)Address(memoryBase, byteLength, address, offset, 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load8U(int address, nint memoryBase, ulong byteLength, long offset) => *Address(memoryBase, byteLength, address, offset, 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load16S(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<short>(Address(memoryBase, byteLength, address, offset, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load16U(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<ushort>(Address(memoryBase, byteLength, address, offset, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load32S(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<int>(Address(memoryBase, byteLength, address, offset, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Load32U(int address, nint memoryBase, ulong byteLength, long offset) => Unsafe.ReadUnaligned<uint>(Address(memoryBase, byteLength, address, offset, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store(int address, int value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store(int address, long value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 8), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F32Store(int address, float value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F64Store(int address, double value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 8), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store8(int address, int value, nint memoryBase, ulong byteLength, long offset) => *Address(memoryBase, byteLength, address, offset, 1) = (byte)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store16(int address, int value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 2), (short)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store8(int address, long value, nint memoryBase, ulong byteLength, long offset) => *Address(memoryBase, byteLength, address, offset, 1) = (byte)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store16(int address, long value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 2), (short)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store32(int address, long value, nint memoryBase, ulong byteLength, long offset) => Unsafe.WriteUnaligned(Address(memoryBase, byteLength, address, offset, 4), (int)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Size(Memory memory) => (int)(memory.ByteLength / MemoryType.PageSize);
}
