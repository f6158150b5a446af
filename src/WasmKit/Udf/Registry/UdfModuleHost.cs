using System.Runtime.CompilerServices;
using WasmKit.Backends;
using WasmKit.Pooling;

namespace WasmKit.Udf;

/// <summary>
/// One registered module version: its limits, its lazily created instance pool and the per-instance bindings.
/// Reference-counted: the registry holds one reference while UDFs use the host, and each evaluation holds one
/// while it runs (<see cref="TryEnter"/>, <see cref="Exit"/>), so the pool closes only after the last
/// evaluation that started on it, however the registry changed meanwhile.
/// </summary>
internal sealed class UdfModuleHost : IDisposable
{
    // The registry's reference plus one per running evaluation; zero once closed.
    private int _users = 1;
    private int _retired;
    private readonly BackendImports _imports;
    private readonly object _poolLock = new();
    private readonly int _maximumInstances;
    private InstancePool? _pool;
    private readonly PooledInstance?[] _cache;
    private readonly object _bindingsGate = new();
    // Weak, so that bindings of discarded instances can be collected (their counts were flushed).
    private WeakReference<UdfInstanceBinding>[] _bindings = [];
    private bool _disposed;

    public UdfModuleHost(IBackendModule module, BackendImports imports, UdfLimits limits, int maximumInstances, UdfWatchdogThread watchdogThread)
    {
        Module = module;
        _imports = imports;
        Limits = limits;
        _maximumInstances = maximumInstances;
        // Cache slots (a power of two, one per core, picked by stack address), at most half the cap, so batches always find room.
        int slots = 1;
        while (slots * 2 <= Math.Min(Environment.ProcessorCount, maximumInstances / 2)) slots *= 2;
        _cache = maximumInstances >= 2 ? new PooledInstance?[slots] : [];
        var capabilities = module.Backend.Capabilities;
        Fuel = capabilities.SupportsFuel ? limits.Fuel ?? long.MaxValue : null;
        Timeout = capabilities.SupportsInterruption && limits.Timeout is { } t && t > TimeSpan.Zero ? t : null;
        if (Timeout is { } timeout) Watchdog = new UdfWatchdog(timeout, watchdogThread);
        Alloc = module.GetInvoker(UdfCallingConvention.AllocExport) is { } alloc && alloc.Type.Equals(UdfCallingConvention.AllocSignature) ? alloc : null;
    }

    public IBackendModule Module { get; }

    /// <summary>The guest's wasmkit_alloc export, or null when it has none (of the right type).</summary>
    public ExportInvoker? Alloc { get; }

    public UdfLimits Limits { get; }

    /// <summary>Fuel set before each evaluation, when the engine consumes fuel.</summary>
    public long? Fuel { get; }

    /// <summary>The timeout of each evaluation, when the engine is interruptible.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Enforces <see cref="Timeout"/>; null without one.</summary>
    public UdfWatchdog? Watchdog { get; }

    /// <summary>How many registered UDFs use this module (guarded by the registry's lock).</summary>
    public int EntryCount { get; set; }

    /// <summary>The next free slot for an entry's per-instance delegate (guarded by the registry's lock).</summary>
    public int NextSlot { get; set; }

    public InstancePool Pool => Volatile.Read(ref _pool) ?? CreatePool();

    private InstancePool CreatePool()
    {
        lock (_poolLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pool ??= new InstancePool(Module, new BackendInstanceOptions
            {
                Imports = _imports,
                MaximumMemoryPages = Limits.MemoryPages,
                // The start function runs during instantiation, before the pool's first rent sets fuel: it needs some too.
                InitialFuel = Fuel,
                CreateHostState = PrepareInstance,
                InstantiationFinished = EndInstantiation,
            }, new InstancePoolOptions
            {
                MaximumInstances = _maximumInstances,
                FuelPerRent = Fuel,
            });
        }
    }

    /// <summary>
    /// Gives each new pooled instance its document context and deadline, and puts the module's start function
    /// (which runs next, during instantiation) under the timeout of an evaluation (its fuel is the instance options').
    /// </summary>
    private object? PrepareInstance(IExecutionBudget budget)
    {
        var context = new DocumentContext { Deadline = Watchdog?.Watch(budget) };
        context.Deadline?.Begin();
        return context;
    }

    /// <summary>Ends the start function's deadline, whether instantiation succeeded or not.</summary>
    private static void EndInstantiation(object? state) => (state as DocumentContext)?.Deadline?.End();

    /// <summary>Takes a reference for one evaluation; false once the host closed (its UDFs were replaced or removed).</summary>
    public bool TryEnter()
    {
        int users = Volatile.Read(ref _users);
        while (users > 0)
        {
            int seen = Interlocked.CompareExchange(ref _users, users + 1, users);
            if (seen == users) return true;
            users = seen;
        }
        return false;
    }

    /// <summary>Drops an evaluation's reference; the last one closes the host.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0) Dispose();
    }

    /// <summary>Drops the registry's reference (its last UDF went): the host closes once running evaluations end.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0) Exit();
    }

    /// <summary>
    /// An instance for one evaluation: a reset one from this core's cache slot, else from the pool. The
    /// cache saves a single call the pool's bookkeeping (several atomic operations) on both ends.
    /// </summary>
    /// <summary>
    /// The cache slot for the calling thread, from the address of its stack: threads' stacks lie far
    /// apart, and reading it costs nothing, unlike a thread id (a thread-local read). Threads that
    /// share a slot only make each other miss the cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe int CacheSlot()
    {
        byte marker = 0;
        ulong stack = (ulong)&marker >> 16;
        return (int)((stack * 0x9E3779B97F4A7C15) >> 40) & (_cache.Length - 1);
    }

    public PooledInstance Rent(int cacheSlot)
    {
        if (_cache.Length > 0)
        {
            ref var slot = ref _cache[cacheSlot];
            if (Volatile.Read(ref slot) is not null && Interlocked.Exchange(ref slot, null) is { } cached) return cached;
        }
        var pool = Pool;
        if (pool.TryRent(out var rented)) return rented;
        // At the cap: cached instances count as rented, so hand them back before waiting for one.
        ReleaseCached();
        return pool.Rent();
    }

    /// <summary>
    /// Gives an instance back after an evaluation: reset and kept in this core's cache slot when it is
    /// healthy and the slot is free, otherwise returned to the pool (which resets or discards it).
    /// </summary>
    /// <summary>The evaluation counts of <paramref name="entry"/> still held by live instances.</summary>
    public (long Calls, long Errors) PendingCounts(UdfEntry entry)
    {
        long calls = 0, errors = 0;
        foreach (var reference in Volatile.Read(ref _bindings))
        {
            if (!reference.TryGetTarget(out var binding)) continue;
            var (c, e) = binding.PendingCounts(entry);
            calls += c;
            errors += e;
        }
        return (calls, errors);
    }

    public void Return(PooledInstance pooled, int cacheSlot)
    {
        if (_cache.Length > 0 && !pooled.IsBroken && !Volatile.Read(ref _disposed) && pooled.BackendInstance.Reset())
        {
            ref var slot = ref _cache[cacheSlot];
            if (Interlocked.CompareExchange(ref slot, pooled, null) is null)
            {
                // Disposal may have emptied the cache while this instance was on its way in.
                if (Volatile.Read(ref _disposed)) ReleaseCached();
                return;
            }
        }
        (pooled.Tag as UdfInstanceBinding)?.FlushCounts();
        pooled.Dispose();
    }

    private void ReleaseCached()
    {
        for (int i = 0; i < _cache.Length; i++)
        {
            if (Interlocked.Exchange(ref _cache[i], null) is not { } cached) continue;
            (cached.Tag as UdfInstanceBinding)?.FlushCounts();
            cached.Dispose();
        }
    }

    public UdfInstanceBinding Bind(PooledInstance pooled)
    {
        // The pool is the registry's own, so its Tag is free to carry the binding.
        if (pooled.Tag is UdfInstanceBinding binding) return binding;
        binding = new UdfInstanceBinding(pooled.BackendInstance, Alloc, Fuel);
        binding.ReserveArgumentArea();
        lock (_bindingsGate)
        {
            _bindings = [.. _bindings.Where(w => w.TryGetTarget(out _)), new WeakReference<UdfInstanceBinding>(binding)];
        }
        pooled.Tag = binding;
        return binding;
    }

    /// <summary>Closes the pool now (the registry's disposal, or the last reference).</summary>
    public void Dispose()
    {
        lock (_poolLock)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            ReleaseCached();
            _pool?.Dispose();
            Watchdog?.Dispose();
        }
    }
}
