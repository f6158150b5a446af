using System.Diagnostics;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;
using WasmKit.Execution;
using WasmKit.Pooling;
using WasmKit.Udf;

namespace WasmKit.Plugins;

/// <summary>
/// Runs plugin taps: loads plugins (a module and its manifest, through a <see cref="ComponentLoader"/>),
/// checks each manifest against its module, and calls a tap across every plugin implementing it, in order
/// (weight, then name), each in an instance of its own rented from the plugin's pool in its fresh state.
/// Results are combined: render elements in order, changes applied to the item in order (later plugins see
/// them), validators' rejections; a plugin that traps, runs out of fuel or time, or returns a bad result is
/// reported in <see cref="TapResult.Failures"/> and never fails the others (unless
/// <see cref="PluginHostOptions.ThrowOnPluginFailure"/>). Works on any backend; thread-safe.
/// </summary>
public sealed class PluginHost : IDisposable
{
    /// <summary>The memory export every plugin needs.</summary>
    public const string MemoryExport = "memory";

    /// <summary>The allocator export every plugin needs: the host writes serialized items into what it returns.</summary>
    public const string AllocExport = "wasmkit_alloc";

    private static readonly FunctionType TapType = FunctionType.Of([ValueKind.Int32, ValueKind.Int32], [ValueKind.Int64]);
    private static readonly FunctionType AllocType = FunctionType.Of([ValueKind.Int32], [ValueKind.Int32]);

    private readonly object _gate = new();
    private readonly UdfWatchdogThread _watchdogThread = new();
    private readonly bool _interruptible;
    private LoadedPlugin[] _plugins = [];
    private Dictionary<string, PluginTapBinding[]> _taps = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Creates a host with no plugins.</summary>
    /// <param name="options">The engine, data mode, capability functions and limits; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range, or a capability function is not of module <see cref="PluginHostOptions.CapabilityModule"/> or is defined twice.</exception>
    public PluginHost(PluginHostOptions? options = null)
    {
        Options = options ?? new PluginHostOptions();
        if (Options.MaximumInstancesPerPlugin < 1)
            throw new ArgumentException($"MaximumInstancesPerPlugin must be at least 1, not {Options.MaximumInstancesPerPlugin}.", nameof(options));
        if (Options.PrewarmInstancesPerPlugin < 0)
            throw new ArgumentException("PrewarmInstancesPerPlugin must not be negative.", nameof(options));
        if (Options.MaximumResultBytes is < 2 or > 64 * 1024 * 1024)
            throw new ArgumentException($"MaximumResultBytes must be from 2 to 64 MiB, not {Options.MaximumResultBytes}.", nameof(options));
        foreach (var function in Options.HostFunctions)
        {
            if (function.ModuleName != PluginHostOptions.CapabilityModule)
                throw new ArgumentException($"The capability function {function} must be of module '{PluginHostOptions.CapabilityModule}'.", nameof(options));
            if (Options.HostFunctions.Count(f => f.Name == function.Name) > 1)
                throw new ArgumentException($"The capability function '{function.Name}' is defined twice.", nameof(options));
        }
        Backend = Options.Backend ?? ManagedBackend.Create();
        _interruptible = Backend.Capabilities.SupportsInterruption;
        Loader = new ComponentLoader(Backend);
    }

    /// <summary>The options the host was created with.</summary>
    public PluginHostOptions Options { get; }

    /// <summary>The engine the plugins run on.</summary>
    public IWasmBackend Backend { get; }

    /// <summary>The loader that compiles the plugins' modules (each distinct module once).</summary>
    public ComponentLoader Loader { get; }

    /// <summary>The loaded plugins, in load order.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => Volatile.Read(ref _plugins);

    /// <summary>The plugins implementing a tap, in the order they run.</summary>
    /// <param name="tap">The tap's name.</param>
    /// <returns>The plugins; empty when none implements it.</returns>
    public IReadOnlyList<LoadedPlugin> PluginsFor(string tap) => BindingsFor(tap).Select(b => b.Plugin).ToArray();

    /// <summary>Loads a plugin from its module and manifest.</summary>
    /// <param name="wasm">The module in the binary format.</param>
    /// <param name="manifestJson">The manifest, UTF-8 JSON.</param>
    /// <param name="source">Where it came from, for errors (a file path or a name).</param>
    /// <returns>The plugin, ready for calls.</returns>
    /// <exception cref="PluginLoadException">The manifest is invalid, the module is invalid or does not match it, or a plugin of that name is loaded already.</exception>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public LoadedPlugin Load(ReadOnlySpan<byte> wasm, ReadOnlySpan<byte> manifestJson, string? source = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var manifest = PluginManifest.Parse(manifestJson, source);
        source ??= manifest.Name;
        LoadedComponent component;
        try
        {
            component = Loader.LoadBytes(wasm, null, manifest.Name);
        }
        catch (ComponentLoadException error)
        {
            throw new PluginLoadException(source, null, error.Problem, error);
        }
        return Add(manifest, component, source);
    }

    /// <summary>Loads <c>NAME.wasm</c> with its manifest <c>NAME.json</c> beside it.</summary>
    /// <param name="wasmPath">The module's file.</param>
    /// <returns>The plugin.</returns>
    /// <exception cref="PluginLoadException">A file cannot be read, or see <see cref="Load"/>.</exception>
    public LoadedPlugin LoadFile(string wasmPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(wasmPath);
        string manifestPath = Path.ChangeExtension(wasmPath, ".json");
        return Load(Read(wasmPath), Read(manifestPath), wasmPath);
    }

    /// <summary>Unloads a plugin: calls under way finish, later calls do not see it.</summary>
    /// <param name="name">The plugin's name.</param>
    /// <returns>Whether a plugin of that name was loaded.</returns>
    public bool Unload(string name)
    {
        LoadedPlugin? removed;
        lock (_gate)
        {
            removed = _plugins.FirstOrDefault(p => p.Name == name);
            if (removed is null) return false;
            Publish(_plugins.Where(p => p != removed).ToArray());
        }
        removed.Pool.Dispose();
        removed.Watchdog?.Dispose();
        return true;
    }

    /// <summary>
    /// Calls a tap across every plugin implementing it, on the calling thread (waiting for instances at a
    /// plugin's cap, and blocking through asynchronous host functions).
    /// </summary>
    /// <param name="tap">The tap's name.</param>
    /// <param name="item">The request's item; changes are applied to it.</param>
    /// <param name="context">The request's context, for the host's capability functions.</param>
    /// <returns>The combined result.</returns>
    /// <exception cref="PluginTapException">A plugin failed and <see cref="PluginHostOptions.ThrowOnPluginFailure"/> is set.</exception>
    public TapResult CallTap(string tap, TapItem item, TapContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(item);
        var bindings = BindingsFor(tap);
        var result = new TapResult(tap, item, bindings.Length);
        foreach (var binding in bindings)
        {
            long rentStart = Stopwatch.GetTimestamp();
            var admission = binding.Plugin.Admission;
            if (!admission.Wait(RentWait))
            {
                FailRent(binding, result, RentTimedOut(binding), rentStart);
                continue;
            }
            try
            {
                RentAndExecute(binding, item, context, CancellationToken.None, result, rentStart);
            }
            finally
            {
                admission.Release();
            }
        }
        return result;
    }

    /// <summary>
    /// Calls a tap across every plugin implementing it, waiting asynchronously for instances. Cancelling
    /// stops a request waiting for an instance and interrupts a running guest; the call then throws
    /// <see cref="OperationCanceledException"/> (changes already applied to the item by earlier plugins stay).
    /// </summary>
    /// <param name="tap">The tap's name.</param>
    /// <param name="item">The request's item; changes are applied to it.</param>
    /// <param name="context">The request's context, for the host's capability functions.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The combined result.</returns>
    /// <exception cref="OperationCanceledException">The request was cancelled.</exception>
    /// <exception cref="PluginTapException">A plugin failed and <see cref="PluginHostOptions.ThrowOnPluginFailure"/> is set.</exception>
    /// <remarks>
    /// Guests of plugins that import an asynchronous host function run on an execution thread of
    /// <see cref="PluginHostOptions.Executor"/> (without one, on the thread that continues the call); the others
    /// only compute and run on the thread that continues the call. An asynchronous host function is waited for by
    /// blocking its guest's thread: neither engine can suspend a guest. With an executor of T threads, at most T such
    /// guests run or wait at once and no thread-pool thread is ever blocked; further requests wait in its queue
    /// without a thread.
    /// </remarks>
    public async ValueTask<TapResult> CallTapAsync(string tap, TapItem item, TapContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(item);
        cancellationToken.ThrowIfCancellationRequested();
        var bindings = BindingsFor(tap);
        var result = new TapResult(tap, item, bindings.Length);
        foreach (var binding in bindings)
        {
            // Guests that may wait on the host run on the executor. They queue first and rent on the execution
            // thread: the executor's queue is first come, first served (the pool's gate lets newcomers pass its
            // waiters), and with at least as many instances as execution threads the rent never waits.
            if (Options.Executor is { } executor && binding.Plugin.ImportsAsyncFunctions)
            {
                await executor.RunAsync(new ExecutorCall(this, binding, item, context, result, Stopwatch.GetTimestamp()),
                    static (call, token) => call.Run(token), cancellationToken).ConfigureAwait(false);
                continue;
            }
            long rentStart = Stopwatch.GetTimestamp();
            var admission = binding.Plugin.Admission;
            // A free place is taken at once (none is free while others wait); else wait in line, without a thread.
            if (!admission.Wait(0) && !await admission.WaitAsync(RentWait, cancellationToken).ConfigureAwait(false))
            {
                FailRent(binding, result, RentTimedOut(binding), rentStart);
                continue;
            }
            try
            {
                RentAndExecute(binding, item, context, cancellationToken, result, rentStart);
            }
            finally
            {
                admission.Release();
            }
        }
        return result;
    }

    /// <summary>Unloads every plugin; calls under way finish, their instances are discarded on return.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        LoadedPlugin[] plugins;
        lock (_gate)
        {
            plugins = _plugins;
            Publish([]);
        }
        foreach (var plugin in plugins)
        {
            plugin.Pool.Dispose();
            plugin.Watchdog?.Dispose();
        }
        _watchdogThread.Dispose();
    }

    private PluginTapBinding[] BindingsFor(string tap) =>
        Volatile.Read(ref _taps).TryGetValue(tap, out var bindings) ? bindings : [];

    /// <summary>
    /// Rents an instance of the plugin, runs its tap and gives the instance back; <paramref name="rentStart"/> is
    /// when the wait for capacity began (the admission, or the executor's queue). Past the admission (or on one of
    /// the executor's threads, no more than the instances) the rent finds an instance at once.
    /// </summary>
    private void RentAndExecute(PluginTapBinding binding, TapItem item, TapContext? context, CancellationToken cancellationToken, TapResult result, long rentStart)
    {
        PooledInstance rented;
        try
        {
            rented = binding.Plugin.Pool.Rent(Options.RentTimeout, cancellationToken);
        }
        catch (Exception error) when (IsRentFailure(error))
        {
            FailRent(binding, result, error, rentStart);
            return;
        }
        result.RentTimestamp += Stopwatch.GetTimestamp() - rentStart;
        try
        {
            Execute(binding, rented, item, context, cancellationToken, result);
        }
        finally
        {
            rented.Dispose();
        }
    }

    /// <summary>Runs one plugin's tap in a rented instance and adds its outcome to the result.</summary>
    private void Execute(PluginTapBinding binding, PooledInstance rented, TapItem item, TapContext? context, CancellationToken cancellationToken, TapResult result)
    {
        long started = Stopwatch.GetTimestamp();
        var instance = rented.BackendInstance;
        var state = (PluginCallState)instance.HostState!;
        state.Begin(binding, item, context, cancellationToken);
        (TapFailureKind Kind, string Reason, Exception? Error)? failure;
        bool rejected = false;
        try
        {
            failure = RunGuest(binding, instance, item, state, cancellationToken);
            if (failure is null && state.Violation is { } violation) failure = (violation.Kind, violation.Reason, null);
            if (failure is null) rejected = Commit(binding, state, item, result);
        }
        catch (Exception error) when (cancellationToken.IsCancellationRequested && error is WasmTrapException or OperationCanceledException)
        {
            rented.MarkBroken();
            binding.Plugin.Statistics.Record(Stopwatch.GetTimestamp() - started, failed: true, rejected: false);
            throw new OperationCanceledException($"The call of tap '{binding.Declaration.Name}' was cancelled in plugin '{binding.Plugin.Name}'.", error, cancellationToken);
        }
        catch (WasmTrapException trap) when (trap.Code != TrapCode.HostError)
        {
            failure = trap.Code switch
            {
                TrapCode.OutOfFuel => (TapFailureKind.OutOfFuel, "ran out of fuel", trap),
                TrapCode.Interrupted => (TapFailureKind.Timeout, $"ran longer than its timeout of {Timeout(binding.Plugin).TotalMilliseconds} ms", trap),
                _ => (TapFailureKind.Trap, $"trapped: {trap.Message}", trap),
            };
        }
        catch (Exception error) when (error is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // A host function threw: the guest's stack was unwound mid-call, so the instance is not reused.
            rented.MarkBroken();
            var cause = error is WasmTrapException { InnerException: { } inner } ? inner : error;
            failure = (TapFailureKind.HostFunction, $"a host function failed: {cause.GetType().Name}: {cause.Message}", error);
        }
        finally
        {
            state.End();
        }
        binding.Plugin.Statistics.Record(Stopwatch.GetTimestamp() - started, failure is not null, rejected);
        if (failure is { } failed) Fail(result, new TapFailure(binding.Plugin.Name, binding.Declaration.Name, failed.Kind, failed.Reason, failed.Error));
    }

    /// <summary>Writes the item (serialized mode), calls the tap and reads its result into the call state.</summary>
    private (TapFailureKind Kind, string Reason, Exception? Error)? RunGuest(PluginTapBinding binding, IBackendInstance instance, TapItem item, PluginCallState state, CancellationToken cancellationToken)
    {
        Span<ulong> arguments = stackalloc ulong[2];
        ulong packed;
        var cancellation = cancellationToken.CanBeCanceled && _interruptible ? instance.InterruptOn(cancellationToken) : null;
        // Asynchronous host functions receive the request's token.
        using var hostCalls = HostCallCancellation.Enter(cancellationToken);
        state.Deadline?.Begin();
        try
        {
            if (Options.DataMode == TapDataMode.Serialized)
            {
                int length = item.SerializedLength(binding.ReadFields);
                arguments[0] = (uint)length;
                uint pointer = (uint)binding.Plugin.Alloc.Invoke(instance, arguments[..1]);
                if (pointer == 0 || (ulong)pointer + (uint)length > (ulong)instance.MemoryLength)
                    return (TapFailureKind.Trap, $"{AllocExport}({length}) returned {pointer}, no room for the item in guest memory", null);
                // The fields go straight into guest memory: raw slices of the item, no intermediate copy.
                item.Serialize(instance.WriteMemory(pointer, length), binding.ReadFields);
                arguments[0] = pointer;
                arguments[1] = (uint)length;
            }
            else
            {
                arguments[0] = 0;
                arguments[1] = uint.MaxValue; // item_len = -1: handle mode
            }
            packed = binding.Invoker.Invoke(instance, arguments);
        }
        finally
        {
            state.Deadline?.End();
            cancellation?.Dispose();
        }
        if (packed == 0) return null;
        uint resultPointer = (uint)(packed >> 32);
        uint resultLength = (uint)packed;
        if (resultLength > (uint)Options.MaximumResultBytes)
            return (TapFailureKind.OversizedResult, $"the result has {resultLength} bytes, more than the {Options.MaximumResultBytes} allowed", null);
        if ((ulong)resultPointer + resultLength > (ulong)instance.MemoryLength)
            return (TapFailureKind.OversizedResult, $"the result ({resultLength} bytes at {resultPointer}) lies outside guest memory ({instance.MemoryLength} bytes)", null);
        return TapResultReader.Read(instance.ReadMemory(resultPointer, (int)resultLength), state) is { } bad ? (bad.Kind, bad.Reason, null) : null;
    }

    /// <summary>Applies a successful call's changes to the item and adds its render element and rejection; returns whether it rejected.</summary>
    private static bool Commit(PluginTapBinding binding, PluginCallState state, TapItem item, TapResult result)
    {
        string plugin = binding.Plugin.Name;
        foreach (var (name, value) in state.PendingSets)
        {
            item.SetRawValue(name, value);
            result.Add(new TapChange(plugin, System.Text.Encoding.UTF8.GetString(name), value));
        }
        if (state.PendingRender is { } render) result.Add(new TapRender(plugin, render));
        if (state.PendingRejection is not { } message) return false;
        result.Add(new TapRejection(plugin, message));
        return true;
    }

    private void Fail(TapResult result, TapFailure failure)
    {
        result.Add(failure);
        if (Options.ThrowOnPluginFailure) throw new PluginTapException(failure);
    }

    private void FailRent(PluginTapBinding binding, TapResult result, Exception error, long started)
    {
        binding.Plugin.Statistics.Record(Stopwatch.GetTimestamp() - started, failed: true, rejected: false);
        string reason = error switch
        {
            TimeoutException => $"no instance became free: {error.Message}",
            ObjectDisposedException => "the plugin was unloaded",
            InstancePoolExhaustedException => $"the plugin is at its memory cap: {error.Message}",
            _ => $"no instance could be made: {error.Message}",
        };
        Fail(result, new TapFailure(binding.Plugin.Name, binding.Declaration.Name, TapFailureKind.Instantiation, reason, error));
    }

    private TimeSpan RentWait => Options.RentTimeout ?? System.Threading.Timeout.InfiniteTimeSpan;

    private TimeoutException RentTimedOut(PluginTapBinding binding) =>
        new($"no instance of plugin '{binding.Plugin.Name}' became free within {RentWait.TotalMilliseconds} ms (it has at most {Options.MaximumInstancesPerPlugin})");

    private static bool IsRentFailure(Exception error) => error is TimeoutException or WasmLinkException or WasmTrapException or ObjectDisposedException or InstancePoolExhaustedException;

    private TimeSpan Timeout(LoadedPlugin plugin) =>
        plugin.Manifest.Limits.TimeoutMs is int ms ? TimeSpan.FromMilliseconds(ms) : Options.DefaultTimeout ?? System.Threading.Timeout.InfiniteTimeSpan;

    private LoadedPlugin Add(PluginManifest manifest, LoadedComponent component, string source)
    {
        var module = component.BackendModule;
        var imports = CheckModule(module, manifest, source);
        var capabilities = Backend.Capabilities;
        // Limits the engine cannot enforce are not enforced (documented on the options); the rest always are.
        long? fuel = capabilities.SupportsFuel ? manifest.Limits.Fuel ?? Options.DefaultFuel : null;
        TimeSpan? timeout = manifest.Limits.TimeoutMs is int ms ? TimeSpan.FromMilliseconds(ms) : Options.DefaultTimeout;
        if (!capabilities.SupportsInterruption) timeout = null;
        uint? pages = manifest.Limits.MemoryPages ?? Options.DefaultMemoryPages;
        if (pages is uint cap)
        {
            foreach (var memory in module.Memories)
                if (memory.Limits.Minimum > cap)
                    throw new PluginLoadException(source, manifest.Limits.MemoryPages is null ? null : "limits.memoryPages",
                        $"the module's memory starts at {memory.Limits.Minimum} pages, above the limit of {cap}");
        }
        var plugin = new LoadedPlugin(this, manifest, component, source)
        {
            Alloc = module.GetInvoker(AllocExport)!,
            Watchdog = timeout is { } limit ? new UdfWatchdog(limit, _watchdogThread) : null,
            ImportsAsyncFunctions = module.Imports.Any(i => imports.HostFunctions.Any(f => f.IsAsync && f.ModuleName == i.ModuleName && f.Name == i.Name)),
        };
        plugin.Bindings = manifest.Taps.Select(t => new PluginTapBinding(plugin, t, module.GetInvoker(t.Export)!)).ToArray();
        var instanceOptions = new BackendInstanceOptions
        {
            Imports = imports,
            MaximumMemoryPages = pages,
            InitialFuel = fuel,
            CreateHostState = budget => new PluginCallState(plugin.Watchdog?.Watch(budget)),
        };
        plugin.InstanceOptions = instanceOptions;
        plugin.Admission = new SemaphoreSlim(Options.MaximumInstancesPerPlugin);
        lock (_gate)
        {
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                if (_plugins.Any(p => p.Name == manifest.Name))
                    throw new PluginLoadException(source, "name", $"a plugin named '{manifest.Name}' is loaded already");
                plugin.Pool = new InstancePool(module, instanceOptions, new InstancePoolOptions
                {
                    MaximumInstances = Options.MaximumInstancesPerPlugin,
                    PrewarmCount = Math.Min(Options.PrewarmInstancesPerPlugin, Options.MaximumInstancesPerPlugin),
                    FuelPerRent = fuel,
                    MaxTotalMemoryBytes = Options.MaximumMemoryBytesPerPlugin,
                    WhenMemoryCapReached = Options.WhenMemoryCapReached,
                });
            }
            catch (Exception error) when (error is WasmLinkException or WasmTrapException or ArgumentException)
            {
                plugin.Watchdog?.Dispose();
                throw new PluginLoadException(source, null, $"the module cannot be instantiated: {error.Message}", error);
            }
            catch
            {
                plugin.Watchdog?.Dispose();
                throw;
            }
            Publish([.. _plugins, plugin]);
        }
        return plugin;
    }

    /// <summary>Checks the module against its manifest and the host; returns the imports the plugin is granted.</summary>
    private BackendImports CheckModule(IBackendModule module, PluginManifest manifest, string source)
    {
        if (!module.Exports.Any(e => e.Name == MemoryExport && e.Kind == ExternalKind.Memory))
            throw new PluginLoadException(source, null, $"the module must export its memory as '{MemoryExport}'");
        if (!module.Exports.Any(e => e.Name == AllocExport && e.Type is FunctionType type && type.Equals(AllocType)))
            throw new PluginLoadException(source, null, $"the module must export '{AllocExport}' of type {AllocType}");
        for (int i = 0; i < manifest.Taps.Count; i++)
        {
            var tap = manifest.Taps[i];
            var export = module.Exports.FirstOrDefault(e => e.Name == tap.Export);
            if (export is null)
                throw new PluginLoadException(source, $"taps[{i}].export", $"the module has no export named '{tap.Export}'");
            if (export.Type is not FunctionType type || !type.Equals(TapType))
                throw new PluginLoadException(source, $"taps[{i}].export", $"the export '{tap.Export}' must be a function of type {TapType}, not {export.Type}");
        }
        var granted = new List<HostFunctionDefinition>(TapHostFunctions.All);
        for (int i = 0; i < manifest.Capabilities.Count; i++)
        {
            var function = Options.HostFunctions.FirstOrDefault(f => f.Name == manifest.Capabilities[i])
                ?? throw new PluginLoadException(source, $"capabilities[{i}]",
                    $"the host offers no capability '{manifest.Capabilities[i]}' (offered: {string.Join(", ", Options.HostFunctions.Select(f => f.Name))})");
            granted.Add(function);
        }
        foreach (var import in module.Imports)
        {
            string what = $"'{import.ModuleName}'.'{import.Name}'";
            var function = import.ModuleName switch
            {
                TapHostFunctions.Module => TapHostFunctions.All.FirstOrDefault(f => f.Name == import.Name)
                    ?? throw new PluginLoadException(source, null, $"the module imports {what}, which the tap SDK does not have (it has item_get, item_set)"),
                PluginHostOptions.CapabilityModule => granted.FirstOrDefault(f => f.ModuleName == import.ModuleName && f.Name == import.Name)
                    ?? throw new PluginLoadException(source, "capabilities", $"the module imports {what}, but '{import.Name}' is not a declared capability"),
                _ => throw new PluginLoadException(source, null,
                    $"the module imports {what}; plugins may import only '{TapHostFunctions.Module}' and '{PluginHostOptions.CapabilityModule}' functions"),
            };
            if (import.Type is not FunctionType type || !type.Equals(function.Type))
                throw new PluginLoadException(source, null, $"the module imports {what} as {import.Type}, but it is {function.Type}");
        }
        return new BackendImports { HostFunctions = granted };
    }

    /// <summary>Makes a plugin list current, with its taps' bindings sorted (under <see cref="_gate"/>).</summary>
    private void Publish(LoadedPlugin[] plugins)
    {
        var taps = plugins.SelectMany(p => p.Bindings)
            .GroupBy(b => b.Declaration.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g =>
            {
                var sorted = g.ToArray();
                Array.Sort(sorted, PluginTapBinding.Compare);
                return sorted;
            }, StringComparer.Ordinal);
        Volatile.Write(ref _plugins, plugins);
        Volatile.Write(ref _taps, taps);
    }

    /// <summary>One plugin's tap call handed to the executor.</summary>
    private sealed class ExecutorCall(PluginHost host, PluginTapBinding binding, TapItem item, TapContext? context, TapResult result, long queuedAt)
    {
        public bool Run(CancellationToken cancellationToken)
        {
            host.RentAndExecute(binding, item, context, cancellationToken, result, queuedAt);
            return true;
        }
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PluginLoadException(path, null, $"cannot read the file: {error.Message}", error);
        }
    }
}
