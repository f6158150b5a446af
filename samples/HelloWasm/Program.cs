// HelloWasm: load two WebAssembly modules, instantiate them, and call their exports from C#.
// Run from the repository root: dotnet run --project samples/HelloWasm
using WasmKit;

string fixtures = Path.Combine(FindRepositoryRoot(), "fixtures", "wasm");

// One Engine per process: it caches compiled signatures and is shared by every module.
using var engine = new Engine();

// Module.FromFile decodes, validates and compiles the module to IL once; the result can be
// instantiated many times. add.wasm comes from fixtures/wat/add.wat, compute.wasm from C.
Module addModule = Module.FromFile(engine, Path.Combine(fixtures, "add.wasm"));
Module computeModule = Module.FromFile(engine, Path.Combine(fixtures, "compute.wasm"));

// A Store owns instances and their memories; a Linker resolves imports (these modules have none).
using var store = new Store(engine);
var linker = new Linker(engine);
Instance adder = linker.Instantiate(store, addModule);
Instance compute = linker.Instantiate(store, computeModule);

// Typed API: ask for a delegate with the export's exact signature (i32 maps to int).
// The type check happens here, once; calling the delegate does no boxing.
Func<int, int, int> add = adder.GetFunction<int, int, int>("add")
    ?? throw new InvalidOperationException("add.wasm has no export named 'add'.");
Console.WriteLine($"add(2, 40) = {add(2, 40)}");

Func<int, int> fib = compute.GetFunction<int, int>("fib")
    ?? throw new InvalidOperationException("compute.wasm has no export named 'fib'.");
Console.WriteLine($"fib(30) = {fib(30)}");

// Untyped API: useful when signatures are only known at run time. Arguments and results are
// boxed (i32 = int, i64 = long, f32 = float, f64 = double), so it is slower than the typed API.
Function addFunction = adder.GetFunction("add")!;
object? sum = addFunction.Invoke(2, 40);
Console.WriteLine($"add.Invoke(2, 40) = {sum} (type {addFunction.Type})");

// The fixtures live next to WasmKit.sln; walk up from the build output to find them.
static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln")))
            return dir.FullName;
    }
    throw new DirectoryNotFoundException("Run this sample from inside the WasmKit repository.");
}
