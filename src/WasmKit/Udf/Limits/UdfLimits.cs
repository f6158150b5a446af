namespace WasmKit.Udf;

/// <summary>
/// Resource limits for the instances that run a module's UDFs (a component manifest's "limits"). They
/// cover all the guest code the registry runs on a caller's behalf: the start function at
/// instantiation, <c>wasmkit_alloc</c> (argument memory) and each evaluation, each with its own
/// fuel and timeout. A member left <see langword="null"/> takes the registry's
/// <see cref="UdfRegistryOptions.DefaultLimits"/> (by default <see cref="Default"/>), so a registration
/// or a manifest raises the defaults one by one.
/// </summary>
public sealed record UdfLimits
{
    /// <summary>
    /// The most 64 KiB memory pages an instance may have, at most <see cref="Memory.ImplementationMaximumPages"/>
    /// (32,767); growing past it fails (<c>memory.grow</c> returns -1). A module whose memory starts
    /// above it is refused at registration. <see langword="null"/>: the default.
    /// </summary>
    public uint? MemoryPages { get; init; }

    /// <summary>
    /// The fuel each guest call may burn: one unit per function call and loop iteration (needs an engine
    /// with <see cref="EngineOptions.ConsumeFuel"/>, as the registry's own has; ignored otherwise).
    /// <see langword="null"/>: the default, which is no fuel limit in <see cref="Default"/>.
    /// </summary>
    public long? Fuel { get; init; }

    /// <summary>
    /// How long one guest call may run before it is interrupted with <see cref="TrapCode.Interrupted"/>
    /// (needs <see cref="EngineOptions.Interruptible"/>, as the registry's own engine has; ignored
    /// otherwise). <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/>: no timeout;
    /// <see langword="null"/>: the default.
    /// </summary>
    /// <remarks>
    /// A watchdog thread checks running calls every period, an eighth of the timeout clamped to
    /// 1–50 ms, so a call is interrupted after at least the timeout and at most the timeout plus two
    /// periods (e.g. 10 ms: 10–12.5 ms; 100 ms: 100–125 ms; 1 s: 1–1.1 s), plus the time the machine
    /// takes to schedule the watchdog thread and for the guest to reach its next call or loop iteration.
    /// </remarks>
    public TimeSpan? Timeout { get; init; }

    /// <summary>No limits of its own: every member takes the registry's defaults.</summary>
    public static UdfLimits None { get; } = new();

    /// <summary>
    /// The registry's default limits: 256 memory pages (16 MiB) and a 1 second timeout per guest call;
    /// no fuel limit (the timeout bounds CPU time already; fuel makes it deterministic where needed).
    /// </summary>
    public static UdfLimits Default { get; } = new() { MemoryPages = 256, Timeout = TimeSpan.FromSeconds(1) };

    /// <summary>These limits, with each unset member taken from <paramref name="defaults"/>.</summary>
    internal UdfLimits Over(UdfLimits defaults) => new()
    {
        MemoryPages = MemoryPages ?? defaults.MemoryPages,
        Fuel = Fuel ?? defaults.Fuel,
        Timeout = Timeout ?? defaults.Timeout,
    };
}
