using System.Text;

namespace WasmKit.Fuzz;

/// <summary>
/// Runs a module in WasmKit the way binaryen 108's <c>wasm-opt --fuzz-exec-before</c> runs it in
/// its interpreter, and prints the same lines:
/// one instance for the whole run; every exported function in export order, each preceded by a
/// call to the <c>hangLimitInitializer</c> export (when present) and called with zero arguments;
/// a trap ends that export only; results are noted unless the call trapped.
/// Anything thrown other than <see cref="WasmTrapException"/> is a WasmKit crash.
/// </summary>
public static class FuzzExecRunner
{
    /// <summary>binaryen's fuzzers reset the hang limit through this export before every call.</summary>
    public const string HangLimitInitializer = "hangLimitInitializer";

    /// <summary>The import module whose functions binaryen's fuzz harness logs.</summary>
    public const string FuzzingSupportModule = "fuzzing-support";

    private const string FunctionExportPrefix = "__wasmkit_fuzz_function_";

    /// <summary>Runs a module and returns binaryen-format output, or the crash that ended it.</summary>
    public static FuzzExecResult Run(byte[] wasm)
    {
        var output = new StringBuilder();
        try
        {
            RunCore(wasm, output);
            return new FuzzExecResult(output.ToString(), null);
        }
        catch (Exception ex) when (ex is not UnsupportedModuleException)
        {
            // Reported with the output so far: the lines before a crash help to reduce it.
            return new FuzzExecResult(output.ToString(), ex);
        }
    }

    private static void RunCore(byte[] wasm, StringBuilder output)
    {
        var layout = ModuleLayout.Read(wasm);
        string prefix = FunctionExportPrefix;
        while (layout.ExportNames.Any(name => name.StartsWith(prefix, StringComparison.Ordinal))) prefix = "_" + prefix;

        using var engine = new Engine();
        var module = Module.FromBytes(engine, layout.WithFunctionExports(prefix));
        var store = new Store(engine);
        var linker = new Linker(engine);
        var functionNames = new Dictionary<Function, string>(ReferenceEqualityComparer.Instance);
        string NameOf(Function f) => functionNames.TryGetValue(f, out var n) ? n : "?";

        foreach (var import in module.Imports)
        {
            if (import.ModuleName != FuzzingSupportModule || import.Kind != ExternalKind.Function)
                throw new UnsupportedModuleException($"The fuzz host has no import {import.ModuleName}.{import.Name} ({import.Kind}).");
            var type = (FunctionType)import.Type;
            linker.DefineFunction(import.ModuleName, import.Name, type, (_, args, results) =>
            {
                output.Append("[LoggingExternalInterface logging");
                for (int i = 0; i < args.Length; i++)
                {
                    if (type.Parameters[i] == ValueKind.Int64)
                    {
                        // binaryen logs an i64 as its low and high halves (as JS legalization would see it).
                        long value = (long)args[i]!;
                        output.Append(' ').Append((int)value).Append(' ').Append((int)(value >> 32));
                    }
                    else
                    {
                        output.Append(' ').Append(BinaryenValueFormat.Value(type.Parameters[i], args[i], NameOf));
                    }
                }
                output.Append("]\n");
                for (int i = 0; i < results.Length; i++) results[i] = ZeroOf(type.Results[i]);
            });
        }

        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (WasmTrapException trap)
        {
            // binaryen prints the trap and runs nothing when instantiation traps.
            AppendTrap(output, trap);
            return;
        }

        uint functionCount = layout.ImportedFunctionCount + layout.DefinedFunctionCount;
        for (uint i = 0; i < functionCount; i++)
        {
            var function = instance.GetFunction(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ?? throw new InvalidOperationException($"The added export for function {i} is missing.");
            functionNames.TryAdd(function, layout.BinaryenFunctionName(i));
        }

        var hangLimitInitializer = instance.GetFunction(HangLimitInitializer);
        foreach (var export in module.Exports)
        {
            if (export.Kind != ExternalKind.Function || export.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            output.Append("[fuzz-exec] calling ").Append(export.Name).Append('\n');
            var function = instance.GetFunction(export.Name)!;
            var type = function.Type;
            var results = new object?[type.Results.Length];
            try
            {
                hangLimitInitializer?.Invoke([], []);
                var arguments = type.Parameters.Select(ZeroOf).ToArray();
                function.Invoke(arguments, results);
            }
            catch (WasmTrapException trap)
            {
                AppendTrap(output, trap);
                continue;
            }
            if (results.Length == 0) continue;
            output.Append("[fuzz-exec] note result: ").Append(export.Name).Append(" => ");
            if (results.Length == 1)
            {
                // binaryen prints only the type of a single reference result; funcref names are unstable.
                output.Append(type.Results[0].IsReference()
                    ? BinaryenValueFormat.ReferenceTypeName(type.Results[0])
                    : BinaryenValueFormat.Value(type.Results[0], results[0], NameOf));
            }
            else
            {
                output.Append('(');
                for (int i = 0; i < results.Length; i++)
                {
                    if (i > 0) output.Append(", ");
                    output.Append(BinaryenValueFormat.Value(type.Results[i], results[i], NameOf));
                }
                output.Append(')');
            }
            output.Append('\n');
        }
    }

    private static void AppendTrap(StringBuilder output, WasmTrapException trap)
    {
        if (trap.Code == TrapCode.HostError) throw new InvalidOperationException("A fuzz host function failed.", trap);
        output.Append("[trap ").Append(trap.Message).Append("]\n");
    }

    private static object? ZeroOf(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => 0,
        ValueKind.Int64 => 0L,
        ValueKind.Float32 => 0f,
        ValueKind.Float64 => 0d,
        ValueKind.FuncRef or ValueKind.ExternRef => null,
        _ => throw new NotSupportedException($"No zero value for {kind}."),
    };
}
