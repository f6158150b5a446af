using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>Converts Wasmtime's descriptions of imports, exports and values into WasmKit's.</summary>
internal static class WasmtimeTypes
{
    public static ValueKind ToWasmKit(Wt.ValueKind kind) => kind switch
    {
        Wt.ValueKind.Int32 => ValueKind.Int32,
        Wt.ValueKind.Int64 => ValueKind.Int64,
        Wt.ValueKind.Float32 => ValueKind.Float32,
        Wt.ValueKind.Float64 => ValueKind.Float64,
        Wt.ValueKind.V128 => ValueKind.V128,
        Wt.ValueKind.FuncRef => ValueKind.FuncRef,
        _ => ValueKind.ExternRef,
    };

    public static Wt.ValueKind ToWasmtime(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => Wt.ValueKind.Int32,
        ValueKind.Int64 => Wt.ValueKind.Int64,
        ValueKind.Float32 => Wt.ValueKind.Float32,
        ValueKind.Float64 => Wt.ValueKind.Float64,
        ValueKind.V128 => Wt.ValueKind.V128,
        ValueKind.FuncRef => Wt.ValueKind.FuncRef,
        _ => Wt.ValueKind.ExternRef,
    };

    public static FunctionType Function(IReadOnlyList<Wt.ValueKind> parameters, IReadOnlyList<Wt.ValueKind> results) =>
        new(parameters.Select(ToWasmKit), results.Select(ToWasmKit));

    public static MemoryType Memory(long minimum, long? maximum) =>
        new(new Limits((uint)Math.Min(minimum, uint.MaxValue), maximum is long max ? (uint)Math.Min(max, uint.MaxValue) : null));

    public static ImportDescriptor? Import(Wt.Import import) => import switch
    {
        Wt.FunctionImport f => new ImportDescriptor(f.ModuleName, f.Name, ExternalKind.Function, Function(f.Parameters, f.Results)),
        Wt.MemoryImport m => new ImportDescriptor(m.ModuleName, m.Name, ExternalKind.Memory, Memory(m.Minimum, m.Maximum)),
        Wt.TableImport t => new ImportDescriptor(t.ModuleName, t.Name, ExternalKind.Table,
            new TableType(ToWasmKit(t.Kind), new Limits(t.Minimum, t.Maximum == uint.MaxValue ? null : t.Maximum))),
        Wt.GlobalImport g => new ImportDescriptor(g.ModuleName, g.Name, ExternalKind.Global,
            new GlobalType(ToWasmKit(g.Kind), g.Mutability == Wt.Mutability.Mutable)),
        _ => null,
    };

    public static ExportDescriptor? Export(Wt.Export export) => export switch
    {
        Wt.FunctionExport f => new ExportDescriptor(f.Name, ExternalKind.Function, Function(f.Parameters, f.Results)),
        Wt.MemoryExport m => new ExportDescriptor(m.Name, ExternalKind.Memory, Memory(m.Minimum, m.Maximum)),
        Wt.TableExport t => new ExportDescriptor(t.Name, ExternalKind.Table,
            new TableType(ToWasmKit(t.Kind), new Limits(t.Minimum, t.Maximum == uint.MaxValue ? null : t.Maximum))),
        Wt.GlobalExport g => new ExportDescriptor(g.Name, ExternalKind.Global,
            new GlobalType(ToWasmKit(g.Kind), g.Mutability == Wt.Mutability.Mutable)),
        _ => null,
    };
}
