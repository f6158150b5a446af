// WasmRun: runs a WASI program, or calls one export of a module, from the command line.
//   dotnet run --project samples/WasmRun -- run [options] file.wasm [args...]
// The process exits with the guest's exit code; a trap prints its message and exits with 134.
using System.Globalization;
using WasmKit;
using WasmKit.Wasi;

const int UsageExitCode = 2;
const int ErrorExitCode = 1;
const int TrapExitCode = 134; // 128 + SIGABRT, as native runtimes report a trap

RunOptions options;
try
{
    options = RunOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"wasmrun: {e.Message}");
    Console.Error.WriteLine(RunOptions.Usage);
    return UsageExitCode;
}

try
{
    var engine = new Engine(new EngineOptions { ConsumeFuel = options.Fuel is not null, Interruptible = options.TimeoutMilliseconds is not null });
    var module = Module.FromFile(engine, options.ModulePath);
    using var store = new Store(engine, new StoreLimits { MaxMemoryPages = options.MaxMemoryPages });
    if (options.Fuel is long fuel) store.Fuel = fuel;
    using var deadline = options.TimeoutMilliseconds is int timeout ? store.InterruptAfter(TimeSpan.FromMilliseconds(timeout)) : null;

    var config = new WasiConfiguration().InheritStdio().WithArguments(options.GuestArguments);
    foreach (var (name, value) in options.Environment) config.WithEnvironmentVariable(name, value);
    foreach (var directory in options.Directories) config.PreopenedDirectories.Add(directory);

    if (options.Invoke is null) return WasiProgram.Run(engine, module, config, store).ExitCode;
    return Invoke(engine, module, config, store, options.Invoke, options.InvokeArguments);
}
catch (WasmTrapException trap)
{
    Console.Error.WriteLine($"wasmrun: trap: {trap.Message}");
    foreach (var frame in trap.WasmBacktrace) Console.Error.WriteLine($"    at {frame}");
    return TrapExitCode;
}
catch (Exception e) when (e is WasmException or IOException or UnauthorizedAccessException or ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"wasmrun: {e.Message}");
    return ErrorExitCode;
}

// Calls one export with arguments parsed by its parameter types and prints each result on a line.
static int Invoke(Engine engine, Module module, WasiConfiguration config, Store store, string name, IReadOnlyList<string> arguments)
{
    var linker = new Linker(engine);
    using var wasi = linker.DefineWasi(config);
    try
    {
        var instance = linker.Instantiate(store, module);
        instance.GetAction("_initialize")?.Invoke();
        var function = instance.GetFunction(name) ?? throw new ArgumentException($"The module exports no function named '{name}'.");
        var parameters = function.Type.Parameters;
        if (parameters.Length != arguments.Count)
            throw new ArgumentException($"'{name}' has type {function.Type}: it takes {parameters.Length} arguments, not {arguments.Count}.");
        var values = new object?[parameters.Length];
        for (int i = 0; i < values.Length; i++) values[i] = ParseValue(parameters[i], arguments[i]);
        var results = new object?[function.Type.Results.Length];
        function.Invoke(values, results);
        foreach (var result in results) Console.WriteLine(FormatValue(result));
        return 0;
    }
    catch (WasiExitException exit)
    {
        return exit.ExitCode;
    }
}

static object ParseValue(ValueKind kind, string text)
{
    var invariant = CultureInfo.InvariantCulture;
    // Integers may be given signed or unsigned: 4294967295 is the i32 -1.
    object? value = kind switch
    {
        ValueKind.Int32 when int.TryParse(text, invariant, out int i) => i,
        ValueKind.Int32 when uint.TryParse(text, invariant, out uint u) => unchecked((int)u),
        ValueKind.Int64 when long.TryParse(text, invariant, out long l) => l,
        ValueKind.Int64 when ulong.TryParse(text, invariant, out ulong u) => unchecked((long)u),
        ValueKind.Float32 when float.TryParse(text, invariant, out float f) => f,
        ValueKind.Float64 when double.TryParse(text, invariant, out double d) => d,
        ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64 => null,
        _ => throw new ArgumentException($"Parameters of type {kind.ToWasmName()} cannot be given on the command line."),
    };
    return value ?? throw new ArgumentException($"'{text}' is not a valid {kind.ToWasmName()}.");
}

static string FormatValue(object? value) => value switch
{
    float f => f.ToString("R", CultureInfo.InvariantCulture),
    double d => d.ToString("R", CultureInfo.InvariantCulture),
    IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
    null => "null",
    _ => value.ToString() ?? "",
};
