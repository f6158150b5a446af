using WasmKit.BinaryFormat;

namespace WasmKit.Runtime;

/// <summary>
/// Creates an instance as the spec's instantiation does: check imports, allocate the module's own
/// tables, memories and globals, apply active element then data segments in order (a segment out of
/// bounds traps, keeping what earlier segments wrote), then run the start function.
/// </summary>
internal static class Instantiator
{
    public static Instance Instantiate(Store store, Module module, object[] imports)
    {
        ObjectDisposedException.ThrowIf(store.IsDisposed, store);
        var definition = module.Definition;
        var compiled = module.Compiled;
        var context = new InstanceContext(store);

        var functions = new List<Function>(definition.TotalFunctionCount);
        var tables = new List<Table>(definition.TotalTableCount);
        var memories = new List<Memory>(definition.TotalMemoryCount);
        var globals = new List<Global>(definition.TotalGlobalCount);

        for (int i = 0; i < imports.Length; i++)
        {
            var import = definition.Imports[i];
            var item = imports[i];
            string where = $"import '{import.ModuleName}'.'{import.Name}'";
            switch (import.Kind)
            {
                case ExternalKind.Function:
                {
                    var expected = definition.Types[(int)import.FunctionTypeIndex];
                    if (item is not Function function) throw Incompatible(where, "a function", item);
                    if (!function.Type.Equals(expected))
                        throw new WasmLinkException($"incompatible import type: {where} needs {expected}, the definition is {function.Type}");
                    CheckStore(store, function.Store, where);
                    functions.Add(function);
                    break;
                }
                case ExternalKind.Table:
                {
                    if (item is not Table table) throw Incompatible(where, "a table", item);
                    if (table.ElementKind != import.Table.ElementKind || !table.Type.Limits.IsSubtypeOf(import.Table.Limits))
                        throw new WasmLinkException($"incompatible import type: {where} needs {import.Table}, the definition is {table.Type}");
                    CheckStore(store, table.Store, where);
                    tables.Add(table);
                    break;
                }
                case ExternalKind.Memory:
                {
                    if (item is not Memory memory) throw Incompatible(where, "a memory", item);
                    if (!memory.Type.Limits.IsSubtypeOf(import.Memory.Limits))
                        throw new WasmLinkException($"incompatible import type: {where} needs {import.Memory}, the definition is {memory.Type}");
                    CheckStore(store, memory.Store, where);
                    memories.Add(memory);
                    break;
                }
                case ExternalKind.Global:
                {
                    if (item is not Global global) throw Incompatible(where, "a global", item);
                    if (global.Type != import.Global)
                        throw new WasmLinkException($"incompatible import type: {where} needs {import.Global}, the definition is {global.Type}");
                    CheckStore(store, global.Store, where);
                    globals.Add(global);
                    break;
                }
            }
        }

        for (int i = 0; i < definition.FunctionTypeIndices.Count; i++)
        {
            int typeIndex = (int)definition.FunctionTypeIndices[i];
            int functionIndex = definition.ImportedFunctionCount + i;
            functions.Add(new Function(store, definition.Types[typeIndex], compiled.TypeIds[typeIndex],
                compiled.FunctionPointers[i], context, definition.FunctionNames.GetValueOrDefault((uint)functionIndex), null));
        }
        context.Functions = functions.ToArray();
        context.ImportCalls = new Function[definition.ImportedFunctionCount];
        for (int i = 0; i < context.ImportCalls.Length; i++) context.ImportCalls[i] = context.Functions[i].BindForImport(context);

        // Globals first: table and memory sizes never depend on them, but segment offsets do.
        context.Globals = globals.ToArray();
        foreach (var global in definition.Globals)
        {
            var created = new Global(store, global.Type with { Mutable = true }, DefaultValue(global.Type.ValueKind));
            if (global.Type.ValueKind.IsReference())
                created.Reference = ConstantEvaluator.EvaluateReference(global.Initializer, context);
            else
                created.Bits = ConstantEvaluator.EvaluateBits(global.Initializer, context);
            globals.Add(global.Type.Mutable ? created : Freeze(store, created));
            context.Globals = globals.ToArray();
        }

        foreach (var table in definition.Tables)
        {
            try
            {
                tables.Add(new Table(store, table));
            }
            catch (ArgumentException e)
            {
                throw new WasmLinkException($"cannot allocate table {table}: {e.Message}");
            }
        }
        foreach (var memory in definition.Memories)
        {
            try
            {
                memories.Add(new Memory(store, memory.Limits.Minimum, memory.Limits.Maximum));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new WasmLinkException($"cannot allocate memory {memory}: {e.Message}");
            }
        }
        context.Tables = tables.ToArray();
        context.Memories = memories.ToArray();
        context.Memory0 = memories.Count > 0 ? memories[0] : null;

        context.ElementSegments = new object?[definition.Elements.Count][];
        for (int i = 0; i < definition.Elements.Count; i++)
        {
            var segment = definition.Elements[i];
            var values = new object?[segment.Items.Length];
            for (int j = 0; j < values.Length; j++) values[j] = ConstantEvaluator.EvaluateReference(segment.Items[j], context);
            context.ElementSegments[i] = values;
        }
        context.DataSegments = definition.Data.Select(d => d.Data).ToArray();

        var exports = new Dictionary<string, object>(definition.Exports.Count, StringComparer.Ordinal);
        foreach (var export in definition.Exports)
        {
            exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => context.Functions[export.Index],
                ExternalKind.Table => context.Tables[export.Index],
                ExternalKind.Memory => context.Memories[export.Index],
                _ => context.Globals[export.Index],
            };
        }
        var instance = new Instance(module, store, exports, context);
        context.Instance = instance;

        for (int i = 0; i < definition.Elements.Count; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                uint offset = (uint)ConstantEvaluator.EvaluateBits(segment.Offset!, context);
                BulkOperations.TableInit((int)offset, 0, segment.Items.Length, context, i, (int)segment.TableIndex);
            }
            if (segment.Mode != SegmentMode.Passive) context.ElementSegments[i] = [];
        }
        for (int i = 0; i < definition.Data.Count; i++)
        {
            var segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active) continue;
            uint offset = (uint)ConstantEvaluator.EvaluateBits(segment.Offset!, context);
            BulkOperations.MemoryInit((int)offset, 0, segment.Data.Length, context, i);
            context.DataSegments[i] = ReadOnlyMemory<byte>.Empty;
        }

        if (definition.StartFunction is uint start) context.Functions[start].Invoke();
        if (store.Engine.Options.ResettableInstances)
            instance.Snapshot = InstanceSnapshot.Capture(context, definition.ImportedMemoryCount, definition.ImportedGlobalCount, definition.ImportedTableCount);
        return instance;
    }

    private static Global Freeze(Store store, Global mutable)
    {
        var frozen = new Global(store, mutable.Type with { Mutable = false }, DefaultValue(mutable.Type.ValueKind));
        frozen.Bits = mutable.Bits;
        frozen.Reference = mutable.Reference;
        return frozen;
    }

    private static object? DefaultValue(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => 0,
        ValueKind.Int64 => 0L,
        ValueKind.Float32 => 0f,
        ValueKind.Float64 => 0d,
        _ => null,
    };

    private static WasmLinkException Incompatible(string where, string needed, object item) =>
        new($"incompatible import type: {where} needs {needed}, the definition is a {item.GetType().Name.ToLowerInvariant()}");

    private static void CheckStore(Store store, Store owner, string where)
    {
        if (owner != store) throw new WasmLinkException($"{where} belongs to another store");
    }
}
