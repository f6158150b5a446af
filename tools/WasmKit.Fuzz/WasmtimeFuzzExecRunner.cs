using System.Globalization;
using System.Text;
using Wt = global::Wasmtime;

namespace WasmKit.Fuzz;

/// <summary>
/// The second oracle: runs a module in Wasmtime (the <c>Wasmtime</c> NuGet package, default configuration) the way
/// <see cref="FuzzExecRunner"/> runs it in WasmKit, and prints the same lines, so the two outputs compare with the
/// same rules as binaryen's. Traps print the spec wording of their kind (Wasmtime's trap code mapped to WasmKit's
/// <see cref="TrapCode"/>, <see cref="WasmTrapException.DescribeCode"/>). Wasmtime cannot say which function a
/// funcref is, so a non-null funcref inside a tuple prints as <c>funcref(func)</c>
/// (<see cref="ForgetFunctionNames"/> makes WasmKit's output say the same).
/// </summary>
public static class WasmtimeFuzzExecRunner
{
    private const string NonNullFunction = "funcref(func)";

    /// <summary>Runs a module and returns binaryen-format output, or what Wasmtime threw other than a trap.</summary>
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
            return new FuzzExecResult(output.ToString(), ex);
        }
    }

    /// <summary>Replaces the names of non-null funcrefs (which only WasmKit knows) by <c>funcref(func)</c>.</summary>
    public static string ForgetFunctionNames(string output) =>
        System.Text.RegularExpressions.Regex.Replace(output, @"funcref\((?!null\))[^)]*\)", NonNullFunction);

    /// <summary>The spec wording WasmKit prints for the trap Wasmtime raised.</summary>
    public static string TrapMessage(Wt.TrapException trap) => trap.Type switch
    {
        Wt.TrapCode.Unreachable => WasmTrapException.DescribeCode(TrapCode.Unreachable),
        Wt.TrapCode.MemoryOutOfBounds => WasmTrapException.DescribeCode(TrapCode.MemoryOutOfBounds),
        // Wasmtime: "undefined element: out of bounds table access" for call_indirect past the table's end.
        Wt.TrapCode.TableOutOfBounds => trap.Message.Contains("undefined element", StringComparison.Ordinal)
            ? "undefined element" : WasmTrapException.DescribeCode(TrapCode.TableOutOfBounds),
        Wt.TrapCode.IndirectCallToNull => WasmTrapException.DescribeCode(TrapCode.UninitializedElement),
        Wt.TrapCode.BadSignature => WasmTrapException.DescribeCode(TrapCode.IndirectCallTypeMismatch),
        Wt.TrapCode.IntegerDivisionByZero => WasmTrapException.DescribeCode(TrapCode.IntegerDivideByZero),
        Wt.TrapCode.IntegerOverflow => WasmTrapException.DescribeCode(TrapCode.IntegerOverflow),
        Wt.TrapCode.BadConversionToInteger => WasmTrapException.DescribeCode(TrapCode.BadConversionToInteger),
        Wt.TrapCode.StackOverflow => WasmTrapException.DescribeCode(TrapCode.CallStackExhausted),
        Wt.TrapCode.NullReference => WasmTrapException.DescribeCode(TrapCode.NullReference),
        var other => "wasmtime " + other,
    };

    private static void RunCore(byte[] wasm, StringBuilder output)
    {
        using var engine = new Wt.Engine();
        using var module = Wt.Module.FromBytes(engine, "fuzz", wasm);
        using var store = new Wt.Store(engine);
        using var linker = new Wt.Linker(engine);

        foreach (var import in module.Imports)
        {
            if (import.ModuleName != FuzzExecRunner.FuzzingSupportModule || import is not Wt.FunctionImport function)
                throw new UnsupportedModuleException($"The fuzz host has no import {import.ModuleName}.{import.Name}.");
            var parameters = function.Parameters.ToArray();
            var results = function.Results.ToArray();
            linker.DefineFunction(import.ModuleName, import.Name, (Wt.Caller _, ReadOnlySpan<Wt.ValueBox> args, Span<Wt.ValueBox> returned) =>
            {
                output.Append("[LoggingExternalInterface logging");
                for (int i = 0; i < args.Length; i++)
                {
                    if (parameters[i] == Wt.ValueKind.Int64)
                    {
                        // As FuzzExecRunner: an i64 as its low and high halves.
                        long value = args[i].AsInt64();
                        output.Append(' ').Append((int)value).Append(' ').Append((int)(value >> 32));
                    }
                    else
                    {
                        output.Append(' ').Append(Format(parameters[i], Argument(parameters[i], args[i])));
                    }
                }
                output.Append("]\n");
                for (int i = 0; i < returned.Length; i++) returned[i] = Zero(results[i]);
            }, parameters, results);
        }

        Wt.Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (Wt.TrapException trap)
        {
            output.Append("[trap ").Append(TrapMessage(trap)).Append("]\n");
            return;
        }

        var hangLimitInitializer = instance.GetFunction(FuzzExecRunner.HangLimitInitializer);
        foreach (var export in module.Exports)
        {
            if (export is not Wt.FunctionExport) continue;
            output.Append("[fuzz-exec] calling ").Append(export.Name).Append('\n');
            var function = instance.GetFunction(export.Name)!;
            var resultKinds = function.Results;
            object? returned;
            try
            {
                hangLimitInitializer?.Invoke();
                var arguments = function.Parameters.Select(Zero).ToArray();
                returned = function.Invoke(arguments);
            }
            catch (Wt.TrapException trap)
            {
                output.Append("[trap ").Append(TrapMessage(trap)).Append("]\n");
                continue;
            }
            if (resultKinds.Count == 0) continue;
            output.Append("[fuzz-exec] note result: ").Append(export.Name).Append(" => ");
            if (resultKinds.Count == 1)
            {
                output.Append(IsReference(resultKinds[0])
                    ? BinaryenValueFormat.ReferenceTypeName(resultKinds[0] == Wt.ValueKind.FuncRef ? ValueKind.FuncRef : ValueKind.ExternRef)
                    : Format(resultKinds[0], returned));
            }
            else
            {
                var values = (object?[])returned!;
                output.Append('(');
                for (int i = 0; i < values.Length; i++)
                {
                    if (i > 0) output.Append(", ");
                    output.Append(Format(resultKinds[i], values[i]));
                }
                output.Append(')');
            }
            output.Append('\n');
        }
    }

    private static bool IsReference(Wt.ValueKind kind) => kind is Wt.ValueKind.FuncRef or Wt.ValueKind.ExternRef or Wt.ValueKind.AnyRef;

    private static object? Argument(Wt.ValueKind kind, Wt.ValueBox value) => kind switch
    {
        // Boxed one by one: a switch over int, float and double would widen them all to double.
        Wt.ValueKind.Int32 => (object)value.AsInt32(),
        Wt.ValueKind.Float32 => (object)value.AsSingle(),
        Wt.ValueKind.Float64 => (object)value.AsDouble(),
        _ => throw new UnsupportedModuleException($"A logging import takes a {kind}."),
    };

    private static string Format(Wt.ValueKind kind, object? value) => kind switch
    {
        Wt.ValueKind.Int32 => ((int)value!).ToString(CultureInfo.InvariantCulture),
        Wt.ValueKind.Int64 => ((long)value!).ToString(CultureInfo.InvariantCulture),
        Wt.ValueKind.Float32 => BinaryenValueFormat.Float32((float)value!),
        Wt.ValueKind.Float64 => BinaryenValueFormat.Float64((double)value!),
        Wt.ValueKind.FuncRef => value is Wt.Function { IsNull: false } ? NonNullFunction : "funcref(null)",
        Wt.ValueKind.ExternRef or Wt.ValueKind.AnyRef => value is null ? "anyref(null)" : "anyref(object)",
        _ => throw new NotSupportedException($"Values of kind {kind} are not printed by the fuzzer."),
    };

    private static Wt.ValueBox Zero(Wt.ValueKind kind) => kind switch
    {
        Wt.ValueKind.Int32 => 0,
        Wt.ValueKind.Int64 => 0L,
        Wt.ValueKind.Float32 => 0f,
        Wt.ValueKind.Float64 => 0d,
        Wt.ValueKind.FuncRef => Wt.Function.Null,
        _ => Wt.ValueBox.AsBox<object>(null),
    };
}
