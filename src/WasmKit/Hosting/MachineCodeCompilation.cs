namespace WasmKit;

/// <summary>
/// When the .NET JIT turns a module's generated code into machine code: on each function's first call,
/// or for every function as soon as the module is compiled. See <see cref="EngineOptions.MachineCode"/>.
/// Results, traps, fuel and interruption are the same in every mode; only where the JIT's time is spent differs.
/// </summary>
public enum MachineCodeCompilation
{
    /// <summary>
    /// Each function is compiled to machine code on its first call, on the calling thread. Loading is
    /// quickest and functions a guest never calls cost nothing, but the first run of a large module spends
    /// most of its time in the JIT (with <see cref="CodeTiering.Collectible"/> code, which is compiled fully
    /// optimised, several times longer than the run itself).
    /// </summary>
    OnFirstCall,

    /// <summary>
    /// Loading starts compiling every function to machine code, roughly in the order a run first calls them, on up
    /// to <see cref="Environment.ProcessorCount"/> - 1 (at least one) background threads per engine, and returns at
    /// once; the first run finds more and more functions ready (a call to one being compiled waits for it rather than compiling it
    /// twice). The first run starts as early as with <see cref="OnFirstCall"/> and finishes sooner when there are
    /// spare cores, at the cost of CPU spent on functions the guest may never call and of competing with the
    /// host for cores. The work stops once the module is unreachable or the engine is disposed; a function the
    /// JIT rejects is left to fail on its call.
    /// </summary>
    Background,

    /// <summary>
    /// Loading compiles every function to machine code, largest first, on
    /// <see cref="Environment.ProcessorCount"/> threads, and returns once all are done, so no call ever waits for
    /// the JIT. Loading takes longer (it compiles functions the guest may never call), the first run is as fast as
    /// the JIT allows, and a function the JIT rejects fails the load with a <see cref="WasmImplementationLimitException"/>
    /// instead of its first call. With <see cref="CodeTiering.Tiered"/> code the JIT compiles the quick first tier
    /// ahead; hot functions are still recompiled optimised later.
    /// </summary>
    Ahead,
}
