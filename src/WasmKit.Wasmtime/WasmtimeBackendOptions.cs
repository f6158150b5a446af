namespace WasmKit.Wasmtime;

/// <summary>How a <see cref="WasmtimeBackend"/> configures its Wasmtime engine. Fixed when the backend is created.</summary>
public sealed class WasmtimeBackendOptions
{
    /// <summary>Whether guest code consumes fuel (Wasmtime's fuel: about one unit per instruction), so fuel limits apply. On by default.</summary>
    public bool ConsumeFuel { get; set; } = true;

    /// <summary>
    /// Whether guest code can be interrupted (Wasmtime's epoch interruption: one ticker thread per backend
    /// advances the epoch every <see cref="EpochInterval"/>), so timeouts and cancellation apply. On by default.
    /// </summary>
    public bool Interruptible { get; set; } = true;

    /// <summary>
    /// How often the epoch ticker advances the engine's epoch: the longest a running guest goes before it
    /// notices an interrupt request. 2 ms by default; shorter costs the ticker more wake-ups.
    /// </summary>
    public TimeSpan EpochInterval
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Whether stores take their memories and tables from Wasmtime's pooling allocator (pre-reserved slots:
    /// instantiation, and so a pooled instance's reset, costs about a third). On by default. The pool
    /// reserves address space for <see cref="PoolingMaximumInstances"/> instances of
    /// <see cref="PoolingMaximumMemoryPages"/> each up front; instantiating more at once fails.
    /// </summary>
    public bool UsePoolingAllocator { get; set; } = true;

    /// <summary>The most live instances (stores) with the pooling allocator; 1000 by default.</summary>
    public int PoolingMaximumInstances
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1000;

    /// <summary>The largest memory an instance may have with the pooling allocator, in 64 KiB pages; 65536 (4 GiB) by default.</summary>
    public uint PoolingMaximumMemoryPages
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1u);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65536u);
            field = value;
        }
    } = 65536;

    /// <summary>The most table elements per table with the pooling allocator; 100,000 by default.</summary>
    public int PoolingMaximumTableElements
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 100_000;

    /// <summary>
    /// How many bytes of each pooled memory stay resident when its instance is released (zeroed in place
    /// instead of returned to the OS): a reset instance then does not page-fault its stack and data back in.
    /// 1 MiB by default; 0 returns everything.
    /// </summary>
    public long PoolingKeepResidentBytes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 1L << 20;

    /// <summary>
    /// A directory for compiled modules (Wasmtime's serialized form), keyed by the module's content hash and
    /// this configuration; null (the default) for none. Entries are checked (a SHA-256 of the serialized bytes
    /// in a header) before Wasmtime loads them, and recompiled when corrupt or made by another configuration.
    /// Loading a serialized module runs native code compiled from it: give the directory the access rights
    /// of the application's own binaries (no other user may write it).
    /// </summary>
    public string? CompileCacheDirectory { get; set; }

    /// <summary>
    /// Whether modules are instrumented at compile time so that instances reset in place (their written
    /// memory and mutable globals restored, about a tenth of a new store and instance) instead of being
    /// re-instantiated. On by default; modules the instrumentation cannot cover reset by re-instantiation.
    /// </summary>
    public bool ResetInPlace { get; set; } = true;

    /// <summary>The most stack guest code may use, in bytes; null for Wasmtime's default (512 KiB).</summary>
    public int? MaximumStackBytes { get; set; }
}
