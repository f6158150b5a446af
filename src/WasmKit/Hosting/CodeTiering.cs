namespace WasmKit;

/// <summary>
/// How the .NET JIT treats a module's generated code: whether it can be unloaded, or is tiered
/// (compiled quickly first, then recompiled optimised where it runs hot). See <see cref="EngineOptions.CodeTiering"/>.
/// </summary>
public enum CodeTiering
{
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
