using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Table and bulk memory instructions, called by compiled code. Parameters come in WebAssembly
/// operand order, then the state they act on, then immediates, so the compiler pushes them as
/// they arrive. Bounds are checked in 64 bits so that no sum can wrap around.
/// </summary>
internal static class BulkOperations
{
    public static void MemoryInit(int destination, int source, int count, InstanceContext context, int segment)
    {
        var data = context.DataSegments[segment].Span;
        var memory = context.Memory0!;
        if ((ulong)(uint)source + (uint)count > (ulong)data.Length || (ulong)(uint)destination + (uint)count > memory.ByteLength)
            throw Traps.Create(TrapCode.MemoryOutOfBounds);
        memory.MarkDirty((uint)destination, (uint)count);
        data.Slice(source, count).CopyTo(memory.Bytes.Slice(destination, count));
    }

    public static void DataDrop(InstanceContext context, int segment) => context.DataSegments[segment] = ReadOnlyMemory<byte>.Empty;

    public static void MemoryCopy(int destination, int source, int count, Memory memory)
    {
        ulong length = memory.ByteLength;
        if ((ulong)(uint)source + (uint)count > length || (ulong)(uint)destination + (uint)count > length)
            throw Traps.Create(TrapCode.MemoryOutOfBounds);
        memory.MarkDirty((uint)destination, (uint)count);
        // Span.CopyTo handles overlapping ranges like memmove.
        var bytes = memory.Bytes;
        bytes.Slice((int)(uint)source, count).CopyTo(bytes.Slice((int)(uint)destination, count));
    }

    public static void MemoryFill(int destination, int value, int count, Memory memory)
    {
        if ((ulong)(uint)destination + (uint)count > memory.ByteLength)
            throw Traps.Create(TrapCode.MemoryOutOfBounds);
        memory.MarkDirty((uint)destination, (uint)count);
        memory.Bytes.Slice((int)(uint)destination, count).Fill((byte)value);
    }

    public static int MemoryGrow(int delta, Memory memory) => memory.GrowFromGuest((uint)delta);

    public static void TableInit(int destination, int source, int count, InstanceContext context, int segment, int tableIndex)
    {
        var items = context.ElementSegments[segment];
        var table = context.Tables[tableIndex];
        if ((ulong)(uint)source + (uint)count > (ulong)items.Length || (ulong)(uint)destination + (uint)count > table.Size)
            throw Traps.Create(TrapCode.TableOutOfBounds);
        Array.Copy(items, source, table.Elements, destination, count);
    }

    public static void ElemDrop(InstanceContext context, int segment) => context.ElementSegments[segment] = [];

    public static void TableCopy(int destination, int source, int count, InstanceContext context, int destinationTable, int sourceTable)
    {
        var to = context.Tables[destinationTable];
        var from = context.Tables[sourceTable];
        if ((ulong)(uint)source + (uint)count > from.Size || (ulong)(uint)destination + (uint)count > to.Size)
            throw Traps.Create(TrapCode.TableOutOfBounds);
        Array.Copy(from.Elements, source, to.Elements, destination, count);
    }

    public static int TableGrow(object? initialValue, int delta, Table table) => table.GrowFromGuest((uint)delta, initialValue);

    public static void TableFill(int destination, object? value, int count, Table table)
    {
        if ((ulong)(uint)destination + (uint)count > table.Size)
            throw Traps.Create(TrapCode.TableOutOfBounds);
        Array.Fill(table.Elements, value, destination, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object? TableGet(int index, Table table)
    {
        if ((uint)index >= (uint)table.Length) throw Traps.Create(TrapCode.TableOutOfBounds);
        return table.Elements[index];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TableSet(int index, object? value, Table table)
    {
        if ((uint)index >= (uint)table.Length) throw Traps.Create(TrapCode.TableOutOfBounds);
        table.Elements[index] = value;
    }

    /// <summary>
    /// Resolves the target of <c>call_indirect</c>: bounds, null and signature checks. The
    /// caller then calls <see cref="Function.Code"/> with <see cref="Function.Context"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Function IndirectTarget(int index, Table table, int expectedTypeId)
    {
        if ((uint)index >= (uint)table.Length) throw Traps.Create(TrapCode.TableOutOfBounds, "undefined element");
        var target = Unsafe.As<Function?>(table.Elements[index]);
        if (target is null) throw Traps.Create(TrapCode.UninitializedElement);
        if (target.TypeId != expectedTypeId) throw Traps.Create(TrapCode.IndirectCallTypeMismatch);
        return target;
    }
}
