using WasmKit.BinaryFormat;
using static WasmKit.Validation.ValidationMessages;

namespace WasmKit.Validation;

/// <summary>Checks a decoded module against the WebAssembly validation rules.</summary>
internal static class ModuleValidator
{
    /// <summary>Validates the module; a broken rule raises <see cref="WasmValidationException"/>.</summary>
    public static void Validate(ModuleDefinition module)
    {
        if (module.TotalFunctionCount > ImplementationLimits.MaxFunctions)
            throw new WasmImplementationLimitException(nameof(ImplementationLimits.MaxFunctions), module.TotalFunctionCount, ImplementationLimits.MaxFunctions, "module");
        ValidateTypes(module);
        ValidateImports(module);
        ValidateFunctionDeclarations(module);
        foreach (var table in module.Tables) ValidateTable(table, offset: null);
        foreach (var memory in module.Memories) ValidateMemory(memory, offset: null);
        if (module.TotalMemoryCount > 1) throw new WasmValidationException(MultipleMemories);

        var declaredFunctions = CollectDeclaredFunctions(module);
        ValidateGlobals(module);
        ValidateElements(module);
        ValidateData(module);
        ValidateStart(module);
        ValidateExports(module);

        var functions = new FunctionValidator(module, declaredFunctions);
        for (int i = 0; i < module.Bodies.Count; i++) functions.Validate(i);
    }

    private static void ValidateTypes(ModuleDefinition module)
    {
        foreach (var type in module.Types)
        {
            if (type.Parameters.Contains(ValueKind.V128) || type.Results.Contains(ValueKind.V128))
                throw new WasmValidationException(SimdNotSupported);
        }
    }

    private static void ValidateImports(ModuleDefinition module)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    if (import.FunctionTypeIndex >= (uint)module.Types.Count)
                        throw new WasmValidationException(UnknownType, offset: import.Offset);
                    break;
                case ExternalKind.Table:
                    ValidateTable(import.Table, import.Offset);
                    break;
                case ExternalKind.Memory:
                    ValidateMemory(import.Memory, import.Offset);
                    break;
                case ExternalKind.Global:
                    if (import.Global.ValueKind == ValueKind.V128)
                        throw new WasmValidationException(SimdNotSupported, offset: import.Offset);
                    break;
            }
        }
    }

    private static void ValidateFunctionDeclarations(ModuleDefinition module)
    {
        foreach (uint typeIndex in module.FunctionTypeIndices)
        {
            if (typeIndex >= (uint)module.Types.Count) throw new WasmValidationException(UnknownType);
        }
        // The decoder already rejects this; checked again so a hand-built module cannot index past the bodies.
        if (module.Bodies.Count != module.FunctionTypeIndices.Count)
            throw new WasmFormatException(0, "function and code section have inconsistent lengths");
    }

    private static void ValidateTable(TableType table, int? offset)
    {
        if (!table.ElementKind.IsReference()) throw new WasmValidationException(TypeMismatch, offset: offset);
        if (table.Limits.Maximum is uint max && table.Limits.Minimum > max)
            throw new WasmValidationException(LimitsMinimumAboveMaximum, offset: offset);
    }

    private static void ValidateMemory(MemoryType memory, int? offset)
    {
        var limits = memory.Limits;
        if (limits.Minimum > MemoryType.MaximumPages || limits.Maximum > MemoryType.MaximumPages)
            throw new WasmValidationException(MemoryTooLarge, offset: offset);
        if (limits.Maximum is uint max && limits.Minimum > max)
            throw new WasmValidationException(LimitsMinimumAboveMaximum, offset: offset);
    }

    /// <summary>
    /// The functions <c>ref.func</c> may name inside bodies: those referenced anywhere outside the
    /// function bodies and the start section (exports, element segments, global initializers).
    /// </summary>
    private static bool[] CollectDeclaredFunctions(ModuleDefinition module)
    {
        var declared = new bool[module.TotalFunctionCount];
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function && export.Index < (uint)declared.Length) declared[export.Index] = true;
        }
        foreach (var global in module.Globals) MarkReferences(global.Initializer, declared);
        foreach (var element in module.Elements)
        {
            if (element.Offset is { } offset) MarkReferences(offset, declared);
            foreach (var item in element.Items) MarkReferences(item, declared);
        }
        return declared;
    }

    private static void MarkReferences(ConstantExpression expression, bool[] declared)
    {
        foreach (var ins in expression.Instructions)
        {
            if (ins.Opcode == Opcode.RefFunc && ins.Index < (uint)declared.Length) declared[ins.Index] = true;
        }
    }

    private static void ValidateGlobals(ModuleDefinition module)
    {
        foreach (var global in module.Globals)
        {
            if (global.Type.ValueKind == ValueKind.V128)
                throw new WasmValidationException(SimdNotSupported, offset: global.Initializer.Offset);
            ConstantExpressionValidator.Validate(module, global.Initializer, global.Type.ValueKind);
        }
    }

    private static void ValidateElements(ModuleDefinition module)
    {
        foreach (var segment in module.Elements)
        {
            if (!segment.ElementKind.IsReference()) throw new WasmValidationException(TypeMismatch, offset: segment.ByteOffset);
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= (uint)module.TotalTableCount)
                    throw new WasmValidationException(UnknownTable, offset: segment.ByteOffset);
                if (module.GetTableType((int)segment.TableIndex).ElementKind != segment.ElementKind)
                    throw new WasmValidationException(TypeMismatch, offset: segment.ByteOffset);
                ValidateOffset(module, segment.Offset, segment.ByteOffset);
            }
            foreach (var item in segment.Items) ConstantExpressionValidator.Validate(module, item, segment.ElementKind);
        }
    }

    private static void ValidateData(ModuleDefinition module)
    {
        foreach (var segment in module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            if (segment.MemoryIndex >= (uint)module.TotalMemoryCount)
                throw new WasmValidationException(UnknownMemory, offset: segment.ByteOffset);
            ValidateOffset(module, segment.Offset, segment.ByteOffset);
        }
    }

    private static void ValidateOffset(ModuleDefinition module, ConstantExpression? offset, int segmentOffset)
    {
        if (offset is null) throw new WasmValidationException(TypeMismatch, offset: segmentOffset);
        ConstantExpressionValidator.Validate(module, offset, ValueKind.Int32);
    }

    private static void ValidateStart(ModuleDefinition module)
    {
        if (module.StartFunction is not uint start) return;
        if (start >= (uint)module.TotalFunctionCount) throw new WasmValidationException(UnknownFunction, (int)start);
        var type = module.GetFunctionType((int)start);
        if (type.Parameters.Length != 0 || type.Results.Length != 0)
            throw new WasmValidationException(StartFunction, (int)start);
    }

    private static void ValidateExports(ModuleDefinition module)
    {
        var names = new HashSet<string>(module.Exports.Count, StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            var (count, unknown) = export.Kind switch
            {
                ExternalKind.Function => (module.TotalFunctionCount, UnknownFunction),
                ExternalKind.Table => (module.TotalTableCount, UnknownTable),
                ExternalKind.Memory => (module.TotalMemoryCount, UnknownMemory),
                _ => (module.TotalGlobalCount, UnknownGlobal),
            };
            if (export.Index >= (uint)count) throw new WasmValidationException(unknown, offset: export.Offset);
            if (!names.Add(export.Name)) throw new WasmValidationException(DuplicateExportName, offset: export.Offset);
        }
    }
}
