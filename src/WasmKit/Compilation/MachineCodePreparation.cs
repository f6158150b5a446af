using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// Has the JIT compile a module's generated methods to machine code before their first call
/// (<see cref="EngineOptions.MachineCode"/>): all of them before the load returns (<see cref="MachineCodeCompilation.Ahead"/>),
/// or on the engine's background threads (<see cref="MachineCodeCompilation.Background"/>), in the order
/// <see cref="MachineCodeOrder"/> gives.
/// </summary>
internal static class MachineCodePreparation
{
    /// <summary>
    /// Stack of each thread that compiles ahead: the JIT recurses over deeply nested code, so the same as
    /// guest threads get rather than the runtime's smaller default for secondary threads.
    /// </summary>
    public const int ThreadStackBytes = 8 * 1024 * 1024;

    /// <summary>Starts or does the work the engine's <see cref="EngineOptions.MachineCode"/> asks for; nothing for <see cref="MachineCodeCompilation.OnFirstCall"/>.</summary>
    /// <param name="engine">The engine compiling the module.</param>
    /// <param name="code">The module's compiled code, which keeps the pending work alive for background threads.</param>
    /// <param name="module">The module, for function sizes and indices.</param>
    /// <param name="methodNames">The generated method name of each defined function.</param>
    /// <param name="find">The created method of a defined function by name, or null if there is none.</param>
    /// <param name="regionsOf">The region methods a split function's body became (see <see cref="RegionPlan"/>), by the function's method name.</param>
    /// <exception cref="WasmImplementationLimitException">Ahead: the JIT rejected a function's generated code.</exception>
    public static void Begin(Engine engine, CompiledModule code, ModuleDefinition module, string[] methodNames, Func<int, string, MethodInfo?> find, Func<string, IReadOnlyList<MethodInfo>> regionsOf)
    {
        var mode = engine.Options.MachineCode;
        if (mode == MachineCodeCompilation.OnFirstCall || methodNames.Length == 0) return;
        if (mode == MachineCodeCompilation.Ahead)
        {
            CompileAll(Collect(module, MachineCodeOrder.LargestFirst(module), methodNames, find, regionsOf));
            return;
        }
        var pending = Collect(module, MachineCodeOrder.ByFirstCall(module), methodNames, find, regionsOf);
        code.PendingMachineCode = pending;
        engine.BackgroundMachineCode.Add(pending);
    }

    /// <summary>Every generated method of the module's functions (bodies, regions, entries), functions in <paramref name="order"/>.</summary>
    private static PendingMachineCode Collect(ModuleDefinition module, int[] order, string[] methodNames, Func<int, string, MethodInfo?> find, Func<string, IReadOnlyList<MethodInfo>> regionsOf)
    {
        var methods = new List<RuntimeMethodHandle>(order.Length * 2);
        var functionIndices = new List<int>(order.Length * 2);
        foreach (int i in order)
        {
            // A large-frame function's body, its entry, and the host's entry for an export, where they exist.
            foreach (string name in (ReadOnlySpan<string>)[methodNames[i] + " body", methodNames[i], HostEntryEmitter.EntryName(methodNames[i])])
            {
                if (find(i, name) is not MethodInfo method) continue;
                methods.Add(method.MethodHandle);
                functionIndices.Add(module.ImportedFunctionCount + i);
            }
            foreach (var region in regionsOf(methodNames[i]))
            {
                methods.Add(region.MethodHandle);
                functionIndices.Add(module.ImportedFunctionCount + i);
            }
        }
        return new PendingMachineCode(methods.ToArray(), functionIndices.ToArray());
    }

    /// <summary>Compiles every pending method on this thread and up to <see cref="Environment.ProcessorCount"/> - 1 more, returning when all are done.</summary>
    /// <exception cref="WasmImplementationLimitException">The JIT rejected a function's generated code.</exception>
    internal static void CompileAll(PendingMachineCode pending)
    {
        var failure = new AheadFailure();
        int helperCount = Math.Min(Environment.ProcessorCount, pending.Count) - 1;
        var helpers = new Thread[Math.Max(0, helperCount)];
        for (int h = 0; h < helpers.Length; h++)
        {
            helpers[h] = new Thread(static state => { var (work, fail) = ((PendingMachineCode, AheadFailure))state!; Drain(work, fail); }, ThreadStackBytes)
            {
                IsBackground = true,
                Name = "WasmKit machine code (ahead)",
            };
            // UnsafeStart: these threads need none of the caller's execution context (culture, async locals).
            helpers[h].UnsafeStart((pending, failure));
        }
        Drain(pending, failure);
        foreach (var helper in helpers) helper.Join();
        if (failure.Error is not (Exception error, int functionIndex)) return;
        if (IsRejectedCode(error)) throw new WasmImplementationLimitException($"function {functionIndex}", error);
        ExceptionDispatchInfo.Capture(error).Throw();
    }

    /// <summary>Compiles pending methods until none is left or one has failed; never throws (it runs on helper threads too).</summary>
    private static void Drain(PendingMachineCode pending, AheadFailure failure)
    {
        while (failure.Error is null && pending.TryTake(out var method, out int functionIndex))
        {
            try
            {
                RuntimeHelpers.PrepareMethod(method);
            }
            catch (Exception error)
            {
                failure.Record(error, functionIndex);
            }
        }
    }

    /// <summary>Whether the runtime refused generated code itself (as opposed to, say, running out of memory).</summary>
    public static bool IsRejectedCode(Exception error) =>
        error is InvalidProgramException or BadImageFormatException or TypeLoadException or MissingMemberException or NotSupportedException;

    /// <summary>The first error of an ahead compile, shared by its threads.</summary>
    private sealed class AheadFailure
    {
        private Tuple<Exception, int>? _first;

        public (Exception Error, int FunctionIndex)? Error => Volatile.Read(ref _first) is { } first ? (first.Item1, first.Item2) : null;

        public void Record(Exception error, int functionIndex) => Interlocked.CompareExchange(ref _first, Tuple.Create(error, functionIndex), null);
    }
}
