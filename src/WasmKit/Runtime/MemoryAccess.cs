using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Stores to linear memory for <see cref="TrackedMemoryAccess"/> (the stores of resettable instances, which also
/// mark the dirty map), and memory.size. Other loads and stores are emitted inline by the compiler
/// (FunctionCompiler.Memory) with the same check: the effective address is computed in 64 bits (a 32-bit
/// address plus a 32-bit offset cannot wrap) and checked against the memory's current length before the
/// unaligned little-endian access.
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
