namespace WasmKit.Runtime;

/// <summary>
/// The state of an instance right after instantiation, for <see cref="Instance.Reset"/>: the bytes
/// and size of its own memories, the values of its own mutable globals, its own tables' elements and
/// which segments were live. Imported memories, tables and globals belong to someone else and are
/// left alone.
/// </summary>
internal sealed class InstanceSnapshot
{
    private readonly (Memory Memory, byte[] Bytes)[] _memories;
    private readonly (Global Global, long Bits, object? Reference)[] _globals;
    private readonly (Table Table, object?[] Elements)[] _tables;
    private readonly ReadOnlyMemory<byte>[] _dataSegments;
    private readonly object?[][] _elementSegments;

    private InstanceSnapshot(InstanceContext context, int importedMemories, int importedGlobals, int importedTables)
    {
        var ownMemories = context.Memories.Skip(importedMemories).ToArray();
        foreach (var memory in ownMemories) memory.TrackWrites();
        _memories = ownMemories.Select(m => (m, m.Bytes.ToArray())).ToArray();
        _globals = context.Globals.Skip(importedGlobals).Where(g => g.Type.Mutable).Select(g => (g, g.Bits, g.Reference)).ToArray();
        _tables = context.Tables.Skip(importedTables).Select(t => (t, t.Elements.AsSpan(0, t.Length).ToArray())).ToArray();
        _dataSegments = (ReadOnlyMemory<byte>[])context.DataSegments.Clone();
        _elementSegments = (object?[][])context.ElementSegments.Clone();
    }

    public static InstanceSnapshot Capture(InstanceContext context, int importedMemories, int importedGlobals, int importedTables) =>
        new(context, importedMemories, importedGlobals, importedTables);

    public void Restore(InstanceContext context)
    {
        foreach (var (memory, bytes) in _memories) memory.RestoreFrom(bytes);
        foreach (var (global, bits, reference) in _globals)
        {
            global.Bits = bits;
            // Skipping null-to-null keeps the GC write barrier off numeric globals.
            if (reference is not null || global.Reference is not null) global.Reference = reference;
        }
        foreach (var (table, elements) in _tables) table.RestoreFrom(elements);
        if (_dataSegments.Length > 0) _dataSegments.AsSpan().CopyTo(context.DataSegments);
        if (_elementSegments.Length > 0) _elementSegments.AsSpan().CopyTo(context.ElementSegments);
    }
}
