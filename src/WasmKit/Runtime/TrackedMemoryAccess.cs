using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Stores for engines with <see cref="EngineOptions.ResettableInstances"/>: each marks the chunks it
/// writes in the memory's dirty map, so that a reset copies back only what changed, then performs the
/// ordinary store of <see cref="MemoryAccess"/>.
/// </summary>
internal static class TrackedMemoryAccess
{
    /// <summary>Checks the bounds (a trap must come before any marking) and marks the written chunks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mark(Memory memory, int address, long offset, int size)
    {
        ulong effective = (ulong)(uint)address + (ulong)offset;
        if (effective + (ulong)size > memory.ByteLength) throw Traps.Create(TrapCode.MemoryOutOfBounds);
        var dirty = memory.DirtyChunks!;
        dirty[(int)(effective >> Memory.DirtyChunkShift)] = 1;
        dirty[(int)((effective + (ulong)size - 1) >> Memory.DirtyChunkShift)] = 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store(int address, int value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 4);
        MemoryAccess.I32Store(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store(int address, long value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 8);
        MemoryAccess.I64Store(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F32Store(int address, float value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 4);
        MemoryAccess.F32Store(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void F64Store(int address, double value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 8);
        MemoryAccess.F64Store(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store8(int address, int value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 1);
        MemoryAccess.I32Store8(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I32Store16(int address, int value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 2);
        MemoryAccess.I32Store16(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store8(int address, long value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 1);
        MemoryAccess.I64Store8(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store16(int address, long value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 2);
        MemoryAccess.I64Store16(address, value, memory.Base, memory.ByteLength, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void I64Store32(int address, long value, Memory memory, long offset)
    {
        Mark(memory, address, offset, 4);
        MemoryAccess.I64Store32(address, value, memory.Base, memory.ByteLength, offset);
    }
}
