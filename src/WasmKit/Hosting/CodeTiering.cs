namespace WasmKit;

/// <summary>
/// How the .NET JIT treats a module's generated code: whether it can be unloaded, or is tiered
/// (compiled quickly first, then recompiled optimised where it runs hot). See <see cref="EngineOptions.CodeTiering"/>.
/// </summary>
public enum CodeTiering
{
    /// <summary>
    /// <see cref="Tiered"/> for modules with at most <see cref="EngineOptions.AutomaticTieringMaxCodeBytes"/> of
    /// function bodies, <see cref="Collectible"/> for larger ones. Small modules are usually plugins, UDFs and
    /// handlers that a host keeps and calls millions of times: they compile fastest into shared tiered code
    /// (33 µs for a minimal module against 295 µs for an assembly of its own) and reach the best steady state
    /// through dynamic profile-guided optimisation. Large modules are usually programs: compiled fully
    /// optimised on first call they run their first and later runs faster than tiered code, whose thousands of
    /// functions spend long in the unoptimised first tier (on the large programs of fixtures/programs, geometric
    /// mean, see BENCHMARKING.md), and they unload with their module instead of pinning memory.
    /// </summary>
    Automatic,

    /// <summary>
    /// Code lives in non-collectible assemblies and takes part in the runtime's tiered compilation:
    /// each function is first compiled quickly without optimisation (loops included; on-stack
    /// replacement moves long-running loops to optimised code), then recompiled with optimisation
    /// and dynamic profile-guided optimisation once it has been called often. The first run of a large
    /// module is several times faster; hot code reaches full speed once the runtime's background
    /// recompilation has caught up, which takes longer for modules with thousands of functions or on a
    /// saturated machine. The trade-off: the code of a module stays in memory until the process ends,
    /// even after the module and its instances are collected, so an engine makes at most
    /// <see cref="EngineOptions.MaxTieredCodeBytes"/> of it.
    /// </summary>
    Tiered,

    /// <summary>
    /// Code lives in collectible assemblies and is freed once neither the module nor any of its
    /// instances is reachable. The runtime does not tier collectible code: each function is
    /// compiled once, fully optimised, on its first call, so the first run of a large module
    /// spends much longer in the JIT. Use it for hosts that load an unbounded stream of modules.
    /// </summary>
    Collectible,
}
