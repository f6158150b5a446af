using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Stores for engines with <see cref="EngineOptions.ResettableInstances"/>: like <see cref="MemoryAccess"/>,
/// and they also mark the chunks they write in the memory's dirty map, so that a reset copies back
/// only what changed.
/// </summary>
internal static unsafe class TrackedMemoryAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Address(Memory memory, int address, long offset, int size)
    {
        ulong effective = (ulong)(uint)address + (ulong)offset;
        if (effective + (ulong)size > memory.ByteLength) throw Traps.Create(TrapCode.MemoryOutOfBounds);
        var dirty = memory.DirtyChunks!;
        dirty[(int)(effective >> Memory.DirtyChunkShift)] = 1;
        dirty[(int)((effective + (ulong)size - 1) >> Memory.DirtyChunkShift)] = 1;
        return (byte*)memory.Base + effective;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store(int address, int value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store(int address, long value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 8), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F32Store(int address, float value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F64Store(int address, double value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 8), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store8(int address, int value, Memory memory, long offset) => *Address(memory, address, offset, 1) = (byte)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store16(int address, int value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 2), (short)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store8(int address, long value, Memory memory, long offset) => *Address(memory, address, offset, 1) = (byte)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store16(int address, long value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 2), (short)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store32(int address, long value, Memory memory, long offset) => Unsafe.WriteUnaligned(Address(memory, address, offset, 4), (int)value);
}
