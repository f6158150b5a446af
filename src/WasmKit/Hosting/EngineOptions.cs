namespace WasmKit;

/// <summary>
/// How an engine compiles code. Checks that are off here are not in the generated code at all, so
/// they cost nothing; turning one on costs a compare per function call and loop iteration.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Whether compiled code consumes fuel: one unit per function call and per loop iteration.
    /// A store then runs out with <see cref="TrapCode.OutOfFuel"/>; see <see cref="Store.Fuel"/>.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Whether a running guest can be stopped from another thread, by <see cref="Store.Interrupt"/>,
    /// a <see cref="CancellationToken"/> or a deadline; it traps with <see cref="TrapCode.Interrupted"/>.
    /// </summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// Whether instances can be reset to their freshly instantiated state with <see cref="Instance.Reset"/>
    /// (what instance pools need). Instances then keep a snapshot of their initial state, and compiled
    /// code marks the memory it writes so that a reset copies back only what changed.
    /// </summary>
    public bool ResettableInstances { get; init; }

    /// <summary>Whether modules are cached by the SHA-256 of their bytes, so the same bytes compile once.</summary>
    public bool CacheModules { get; init; } = true;

    /// <summary>
    /// Whether generated code is tiered by the runtime (cheap to compile and, after warm-up, profile-guided
    /// code; never unloaded) or collectible (unloaded with its module; compiled fully optimised on first
    /// call). Fuel, interruption and traps behave the same in both. Defaults to
    /// <see cref="WasmKit.CodeTiering.Automatic"/>: tiered for small modules, collectible for large ones;
    /// tiered code always within <see cref="MaxTieredCodeBytes"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="WasmKit.CodeTiering"/>.</exception>
    public CodeTiering CodeTiering
    {
        get => _codeTiering;
        init
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "not a CodeTiering");
            _codeTiering = value;
        }
    }

    private readonly CodeTiering _codeTiering = CodeTiering.Automatic;

    /// <summary>
    /// With <see cref="WasmKit.CodeTiering.Automatic"/>, the largest module (in bytes of function bodies, as in its
    /// code section) compiled into tiered code; larger modules are compiled collectible. Default 16 KiB: the
    /// plugins, UDFs and reducers of fixtures/ (5-12 KB files) are tiered, programs linked with a C library
    /// (20 KB and up) are not.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long AutomaticTieringMaxCodeBytes
    {
        get => _automaticTieringMaxCodeBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _automaticTieringMaxCodeBytes = value;
        }
    }

    private readonly long _automaticTieringMaxCodeBytes = 16L << 10;

    /// <summary>
    /// With tiered code (<see cref="WasmKit.CodeTiering.Tiered"/>, or <see cref="WasmKit.CodeTiering.Automatic"/> for small modules), how many bytes of function bodies (as in the modules'
    /// code sections, plus 4 KiB per module) an engine compiles into tiered code, which is never unloaded;
    /// modules beyond it are compiled collectible. This bounds what a stream of distinct (perhaps hostile)
    /// modules can pin in memory. Default 32 MiB, a few dozen large programs; the same bytes compiled
    /// again reuse their code while <see cref="CacheModules"/> is on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxTieredCodeBytes
    {
        get => _maxTieredCodeBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxTieredCodeBytes = value;
        }
    }

    private readonly long _maxTieredCodeBytes = 32L << 20;

    /// <summary>
    /// When generated code becomes machine code: on each function's first call (the default: quickest load,
    /// nothing spent on functions never called), in the background from load on, or all ahead of the load's
    /// return (slower load, no JIT during the first run). See <see cref="MachineCodeCompilation"/> for the trade-offs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="MachineCodeCompilation"/>.</exception>
    public MachineCodeCompilation MachineCode
    {
        get => _machineCode;
        init
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "not a MachineCodeCompilation");
            _machineCode = value;
        }
    }

    private readonly MachineCodeCompilation _machineCode = MachineCodeCompilation.OnFirstCall;

    /// <summary>When the compiler splits large functions into region methods (tests force it on tiny regions).</summary>
    internal Compilation.OutliningOptions Outlining { get; init; } = Compilation.OutliningOptions.Default;
}
