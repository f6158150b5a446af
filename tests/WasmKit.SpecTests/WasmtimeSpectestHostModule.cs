using Wt = global::Wasmtime;

namespace WasmKit.SpecTests;

/// <summary>The <c>spectest</c> module of the reference interpreter, defined on a Wasmtime linker (see <see cref="SpectestHostModule"/>).</summary>
internal static class WasmtimeSpectestHostModule
{
    public static void Define(Wt.Linker linker, Wt.Store store, TextWriter? log)
    {
        string module = SpectestHostModule.ModuleName;
        DefinePrint(linker, log, "print");
        DefinePrint(linker, log, "print_i32", Wt.ValueKind.Int32);
        DefinePrint(linker, log, "print_i64", Wt.ValueKind.Int64);
        DefinePrint(linker, log, "print_f32", Wt.ValueKind.Float32);
        DefinePrint(linker, log, "print_f64", Wt.ValueKind.Float64);
        DefinePrint(linker, log, "print_i32_f32", Wt.ValueKind.Int32, Wt.ValueKind.Float32);
        DefinePrint(linker, log, "print_f64_f64", Wt.ValueKind.Float64, Wt.ValueKind.Float64);

        linker.Define(module, "global_i32", new Wt.Global(store, Wt.ValueKind.Int32, 666, Wt.Mutability.Immutable));
        linker.Define(module, "global_i64", new Wt.Global(store, Wt.ValueKind.Int64, 666L, Wt.Mutability.Immutable));
        linker.Define(module, "global_f32", new Wt.Global(store, Wt.ValueKind.Float32, 666.6f, Wt.Mutability.Immutable));
        linker.Define(module, "global_f64", new Wt.Global(store, Wt.ValueKind.Float64, 666.6, Wt.Mutability.Immutable));
        linker.Define(module, "table", new Wt.Table(store, Wt.TableKind.FuncRef, null, 10, 20));
        linker.Define(module, "memory", new Wt.Memory(store, 1, 2));
    }

    private static void DefinePrint(Wt.Linker linker, TextWriter? log, string name, params Wt.ValueKind[] parameters)
    {
        linker.DefineFunction(SpectestHostModule.ModuleName, name, (Wt.Caller _, ReadOnlySpan<Wt.ValueBox> arguments, Span<Wt.ValueBox> _) =>
        {
            if (log is null) return;
            var text = new List<string>();
            for (int i = 0; i < arguments.Length; i++)
            {
                text.Add(parameters[i] switch
                {
                    Wt.ValueKind.Int32 => SpecValues.Describe(arguments[i].AsInt32()),
                    Wt.ValueKind.Int64 => SpecValues.Describe(arguments[i].AsInt64()),
                    Wt.ValueKind.Float32 => SpecValues.Describe(arguments[i].AsSingle()),
                    _ => SpecValues.Describe(arguments[i].AsDouble()),
                });
            }
            log.WriteLine($"spectest.{name}({string.Join(", ", text)})");
        }, parameters, []);
    }
}
