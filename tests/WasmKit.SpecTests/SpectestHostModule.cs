namespace WasmKit.SpecTests;

/// <summary>The <c>spectest</c> module that the reference interpreter provides to every script.</summary>
internal static class SpectestHostModule
{
    public const string ModuleName = "spectest";

    public static void Define(Linker linker, Store store, TextWriter? log)
    {
        DefinePrint(linker, store, log, "print");
        DefinePrint(linker, store, log, "print_i32", ValueKind.Int32);
        DefinePrint(linker, store, log, "print_i64", ValueKind.Int64);
        DefinePrint(linker, store, log, "print_f32", ValueKind.Float32);
        DefinePrint(linker, store, log, "print_f64", ValueKind.Float64);
        DefinePrint(linker, store, log, "print_i32_f32", ValueKind.Int32, ValueKind.Float32);
        DefinePrint(linker, store, log, "print_f64_f64", ValueKind.Float64, ValueKind.Float64);

        linker.Define(ModuleName, "global_i32", new Global(store, new GlobalType(ValueKind.Int32, false), 666));
        linker.Define(ModuleName, "global_i64", new Global(store, new GlobalType(ValueKind.Int64, false), 666L));
        linker.Define(ModuleName, "global_f32", new Global(store, new GlobalType(ValueKind.Float32, false), 666.6f));
        linker.Define(ModuleName, "global_f64", new Global(store, new GlobalType(ValueKind.Float64, false), 666.6));
        linker.Define(ModuleName, "table", new Table(store, new TableType(ValueKind.FuncRef, new Limits(10, 20))));
        linker.Define(ModuleName, "memory", new Memory(store, 1, 2));
    }

    private static void DefinePrint(Linker linker, Store store, TextWriter? log, string name, params ValueKind[] parameters)
    {
        var type = new FunctionType(parameters, []);
        var function = Function.FromCallback(store, type, (arguments, _) =>
        {
            log?.WriteLine($"spectest.{name}({string.Join(", ", arguments.ToArray().Select(SpecValues.Describe))})");
        }, $"{ModuleName}.{name}");
        linker.Define(ModuleName, name, function);
    }
}
