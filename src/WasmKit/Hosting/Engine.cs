using System.Collections.Concurrent;
using WasmKit.Compilation;

namespace WasmKit;

/// <summary>
/// The compilation environment shared by modules and stores: it interns function types (so
/// <c>call_indirect</c> compares two integers) and owns the signature thunks used to call between
/// host and guest. Thread-safe; create one per application.
/// </summary>
public sealed class Engine : IDisposable
{
    private readonly ConcurrentDictionary<FunctionType, int> _typeIds = new();
    private readonly ConcurrentDictionary<int, SignatureThunks> _thunks = new();
    private readonly ConcurrentDictionary<string, WeakReference<CompiledArtifacts>> _moduleCache = new(StringComparer.Ordinal);
    // Tiered code is never unloaded, so its modules are kept: compiling the same bytes again would pin a second copy.
    private readonly ConcurrentDictionary<string, CompiledArtifacts> _tieredModules = new(StringComparer.Ordinal);
    private long _tieredCodeBytes;
    private readonly object _tieredCodeLock = new();
    private System.Reflection.Emit.ModuleBuilder? _tieredCode;
    private int _typesInTieredCode;
    private int _methodsInTieredCode;
    private int _tieredModuleCount;
    private readonly object _typeLock = new();
    private int _nextTypeId;
    private Backends.Managed.ManagedBackend? _backend;
    private readonly CancellationTokenSource _disposed = new();
    private BackgroundMachineCode? _backgroundMachineCode;

    /// <summary>Creates an engine with default options.</summary>
    public Engine()
        : this(new EngineOptions())
    {
    }

    /// <summary>Creates an engine.</summary>
    /// <param name="options">How the engine compiles code.</param>
    public Engine(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>How the engine compiles code.</summary>
    public EngineOptions Options { get; }

    /// <summary>This engine behind the backend seam: one per engine, so that modules of one engine share a backend.</summary>
    internal Backends.Managed.ManagedBackend Backend
    {
        get
        {
            if (_backend is null) Interlocked.CompareExchange(ref _backend, new Backends.Managed.ManagedBackend(this), null);
            return _backend;
        }
    }

    /// <summary>The threads that compile modules to machine code in the background (<see cref="MachineCodeCompilation.Background"/>); stopped by <see cref="Dispose"/>.</summary>
    internal BackgroundMachineCode BackgroundMachineCode
    {
        get
        {
            if (_backgroundMachineCode is null) Interlocked.CompareExchange(ref _backgroundMachineCode, new BackgroundMachineCode(_disposed.Token), null);
            return _backgroundMachineCode;
        }
    }

    /// <summary>Reservations of released memories, reused by the next memories of this engine's stores.</summary>
    internal LinearMemoryPool MemoryPool { get; } = new();

    /// <summary>The canonical id of <paramref name="type"/> in this engine: equal types get equal ids.</summary>
    internal int InternType(FunctionType type)
    {
        if (_typeIds.TryGetValue(type, out int id)) return id;
        lock (_typeLock)
        {
            return _typeIds.GetOrAdd(type, _ => _nextTypeId++);
        }
    }

    /// <summary>The thunks for one function type, built on first use.</summary>
    internal SignatureThunks GetThunks(FunctionType type, int typeId) =>
        _thunks.GetOrAdd(typeId, static (_, t) => SignatureThunks.Create(t), type);

    /// <summary>The artifacts compiled earlier from the same bytes, if they are still alive.</summary>
    internal CompiledArtifacts? FindCompiled(string hash) =>
        _tieredModules.TryGetValue(hash, out var tiered) ? tiered :
        _moduleCache.TryGetValue(hash, out var weak) && weak.TryGetTarget(out var artifacts) ? artifacts : null;

    /// <summary>
    /// Takes <paramref name="codeBytes"/> from the engine's budget of tiered code
    /// (<see cref="EngineOptions.MaxTieredCodeBytes"/>); false, taking nothing, when they do not fit.
    /// </summary>
    internal bool TryReserveTieredCode(long codeBytes)
    {
        if (Interlocked.Add(ref _tieredCodeBytes, codeBytes) <= Options.MaxTieredCodeBytes) return true;
        Interlocked.Add(ref _tieredCodeBytes, -codeBytes);
        return false;
    }

    /// <summary>
    /// Where a module's tiered code goes: a dynamic module shared by up to <see cref="TypesPerTieredAssembly"/>
    /// types and <see cref="MethodsPerTieredAssembly"/> methods of this engine's modules, and a prefix that names the module's types apart. Tiered code is never
    /// unloaded, so nothing is lost by sharing, and most compiles then skip creating an assembly (the largest
    /// fixed cost of compiling a small module). Defining types and methods costs more the more its dynamic
    /// module already has, hence a fresh one now and then.
    /// </summary>
    internal (System.Reflection.Emit.ModuleBuilder Builder, string TypePrefix) NextTieredCodeTarget(int typeCount, int methodCount)
    {
        lock (_tieredCodeLock)
        {
            if (_tieredCode is null || _typesInTieredCode + typeCount > TypesPerTieredAssembly || _methodsInTieredCode + methodCount > MethodsPerTieredAssembly)
            {
                _tieredCode = DynamicAssemblies.Define("WasmKit.TieredCode", collectible: false);
                _typesInTieredCode = 0;
                _methodsInTieredCode = 0;
            }
            _typesInTieredCode += typeCount;
            _methodsInTieredCode += methodCount;
            return (_tieredCode, "M" + (++_tieredModuleCount).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        }
    }

    /// <summary>How many generated types share one dynamic assembly of tiered code, at most.</summary>
    internal const int TypesPerTieredAssembly = 64;

    /// <summary>How many methods share one dynamic assembly of tiered code, at most (a larger module gets one of its own).</summary>
    internal const int MethodsPerTieredAssembly = 2048;

    /// <summary>
    /// Remembers compiled artifacts by the hash of their bytes: collectible ones without keeping them
    /// alive, tiered ones for good (their code stays loaded anyway).
    /// </summary>
    internal void RememberCompiled(string hash, CompiledArtifacts artifacts)
    {
        if (!artifacts.Code.IsCollectible)
        {
            _tieredModules[hash] = artifacts;
            return;
        }
        _moduleCache[hash] = new WeakReference<CompiledArtifacts>(artifacts);
        // Forget entries whose modules were collected, now and then, so the cache stays small.
        if (_moduleCache.Count % 64 == 0)
        {
            foreach (var (key, weak) in _moduleCache)
                if (!weak.TryGetTarget(out _)) _moduleCache.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Releases the engine and stops its background compilation to machine code. Compiled code is collected
    /// once no module or instance refers to it.
    /// </summary>
    public void Dispose()
    {
        // Cancelled, not disposed: a module loaded after this still asks it for its token (and then compiles nothing in the background).
        _disposed.Cancel();
        _thunks.Clear();
        _moduleCache.Clear();
        _tieredModules.Clear();
        MemoryPool.Clear();
    }
}
