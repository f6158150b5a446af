using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// Has the JIT compile a module's generated methods to machine code before their first call
/// (<see cref="EngineOptions.MachineCode"/>): all of them before the load returns (<see cref="MachineCodeCompilation.Ahead"/>),
/// or on the engine's background threads (<see cref="MachineCodeCompilation.Background"/>). Largest functions go
/// first: they take the JIT longest, so starting them early keeps the threads evenly busy to the end.
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
    /// <exception cref="WasmImplementationLimitException">Ahead: the JIT rejected a function's generated code.</exception>
    public static void Begin(Engine engine, CompiledModule code, ModuleDefinition module, string[] methodNames, Func<int, string, MethodInfo?> find)
    {
        var mode = engine.Options.MachineCode;
        if (mode == MachineCodeCompilation.OnFirstCall || methodNames.Length == 0) return;
        var pending = Collect(module, methodNames, find);
        if (mode == MachineCodeCompilation.Ahead)
        {
            CompileAll(pending);
            return;
        }
        code.PendingMachineCode = pending;
        engine.BackgroundMachineCode.Add(pending);
    }

    /// <summary>Every generated method of the module's functions (bodies, entries), largest function first.</summary>
    private static PendingMachineCode Collect(ModuleDefinition module, string[] methodNames, Func<int, string, MethodInfo?> find)
    {
        var jobs = new List<(RuntimeMethodHandle Method, int FunctionIndex, long Size)>(methodNames.Length * 2);
        for (int i = 0; i < methodNames.Length; i++)
        {
            var body = module.Bodies[i];
            long size = body.CodeEnd - body.CodeStart;
            int functionIndex = module.ImportedFunctionCount + i;
            // A large-frame function's body, its entry, and the host's entry for an export, where they exist.
            foreach (string name in (ReadOnlySpan<string>)[methodNames[i] + " body", methodNames[i], HostEntryEmitter.EntryName(methodNames[i])])
                if (find(i, name) is MethodInfo method) jobs.Add((method.MethodHandle, functionIndex, size));
        }
        // Stable: the methods of one function stay together.
        var ordered = jobs.Select((job, position) => (job, position)).OrderByDescending(j => j.job.Size).ThenBy(j => j.position).Select(j => j.job).ToArray();
        return new PendingMachineCode(ordered.Select(j => j.Method).ToArray(), ordered.Select(j => j.FunctionIndex).ToArray());
    }

    /// <summary>Compiles every pending method on this thread and up to <see cref="Environment.ProcessorCount"/> - 1 more, returning when all are done.</summary>
    /// <exception cref="WasmImplementationLimitException">The JIT rejected a function's generated code.</exception>
    private static void CompileAll(PendingMachineCode pending)
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
