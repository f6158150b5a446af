using System.Diagnostics.Metrics;
using System.Text.Json;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;

namespace WasmKit.Udf;

/// <summary>
/// A thread-safe catalogue of versioned user-defined functions implemented by WebAssembly exports.
/// Registration validates metadata against the export's signature; calls take named arguments and a JSON document,
/// run in pooled instances (one pool per registered module, created on first use) and are measured.
/// </summary>
/// <remarks>
/// Calling convention: each declared parameter maps to WebAssembly values in order — i32, i64, f32, f64 one to one,
/// bool as i32 (0/1), string as two i32 values (pointer, UTF-8 byte length) in memory the host obtains from the guest's
/// <c>wasmkit_alloc(i32) -> i32</c> export. A string result is one i64: (pointer &lt;&lt; 32) | length.
/// The document is implicit: the guest reads it with the "wasmkit" host functions.
/// The registry runs on a backend (<see cref="UdfRegistryOptions.Backend"/>): the managed engine unless another is given.
/// </remarks>
public sealed class UdfRegistry : IDisposable
{
    private readonly object _lock = new();
    // One host (instance pool, watchdog) per module and limits: UDFs with different limits never share instances.
    // Modules compare by reference, the limits record by value.
    private readonly Dictionary<(IBackendModule Module, UdfLimits Limits), UdfModuleHost> _hosts = new();
    private readonly UdfMeterInstruments _instruments;
    // Ticks every module's timeout watchdog: a thread of its own, never waiting on the thread pool.
    private readonly UdfWatchdogThread _watchdogThread = new();
    private readonly UdfRegistryOptions _options;
    // The engine the registry created for itself (no backend given), disposed with it.
    private readonly Engine? _ownedEngine;
    private volatile RegistrySnapshot _snapshot = RegistrySnapshot.Empty;
    private bool _disposed;

    /// <summary>
    /// Creates a registry on <see cref="UdfRegistryOptions.Backend"/>, or, when that is null, on the managed
    /// engine with an engine of its own (resettable instances, fuel and interruption on).
    /// </summary>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The backend cannot reset instances, or <see cref="UdfRegistryOptions.ConfigureLinker"/> is set for a backend other than the managed engine.</exception>
    public UdfRegistry(UdfRegistryOptions? options = null)
        : this(options, meterFactory: null)
    {
    }

    /// <summary>Creates a registry on <see cref="UdfRegistryOptions.Backend"/> (the managed engine with an engine of its own when null), with a meter factory.</summary>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="meterFactory">Creates the "WasmKit" meter (e.g. from dependency injection); <see langword="null"/> for a plain <see cref="Meter"/>.</param>
    /// <exception cref="ArgumentException">The backend cannot reset instances, or <see cref="UdfRegistryOptions.ConfigureLinker"/> is set for a backend other than the managed engine.</exception>
    public UdfRegistry(UdfRegistryOptions? options, IMeterFactory? meterFactory)
        : this(options?.Backend, options, meterFactory)
    {
    }

    /// <summary>Creates a registry on the managed engine <paramref name="engine"/>, which must have <see cref="EngineOptions.ResettableInstances"/>.</summary>
    /// <param name="engine">The engine that compiled (or will compile) the UDF modules.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults; its <see cref="UdfRegistryOptions.Backend"/> must be null or this engine's.</param>
    /// <param name="meterFactory">Creates the "WasmKit" meter (e.g. from dependency injection); <see langword="null"/> for a plain <see cref="Meter"/>.</param>
    /// <exception cref="ArgumentException">The engine cannot reset instances, or the options name another backend.</exception>
    public UdfRegistry(Engine engine, UdfRegistryOptions? options = null, IMeterFactory? meterFactory = null)
        : this(ManagedBackend.For(engine ?? throw new ArgumentNullException(nameof(engine))), options, meterFactory)
    {
        if (options?.Backend is { } backend && !ReferenceEquals(backend, Backend))
            throw new ArgumentException("The options name another backend than the engine's.", nameof(options));
    }

    private UdfRegistry(IWasmBackend? backend, UdfRegistryOptions? options, IMeterFactory? meterFactory)
    {
        _options = options ?? new UdfRegistryOptions();
        if (backend is null)
        {
            var created = ManagedBackend.Create();
            _ownedEngine = created.Engine;
            backend = created;
        }
        if (!backend.Capabilities.SupportsReset)
            throw new ArgumentException(backend is ManagedBackend
                ? "A UDF registry needs an engine created with EngineOptions.ResettableInstances = true."
                : $"A UDF registry needs a backend that resets instances; the {backend.Name} backend does not.", backend is ManagedBackend ? "engine" : nameof(options));
        if (_options.MaximumInstancesPerModule < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaximumInstancesPerModule, "MaximumInstancesPerModule must be at least 1.");
        if (_options.DurationSampleInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.DurationSampleInterval, "DurationSampleInterval must be at least 1.");
        if (_options.ConfigureLinker is not null && backend is not ManagedBackend)
            throw new ArgumentException($"ConfigureLinker configures the managed engine's linker; the {backend.Name} backend has none (define host functions with UdfRegistryOptions.HostFunctions).", nameof(options));
        Backend = backend;
        var configureLinker = _options.ConfigureLinker;
        Imports = new BackendImports
        {
            HostFunctions = [.. DocumentHostFunctions.Definitions, .. _options.HostFunctions],
            Wasi = _options.Wasi,
            ConfigureNativeLinker = configureLinker is null ? null : linker => configureLinker((Linker)linker),
        };
        // The managed linker is built now, so a ConfigureLinker that throws fails the construction.
        if (backend is ManagedBackend managed) managed.GetLinker(Imports);
        _instruments = new UdfMeterInstruments(meterFactory);
    }

    /// <summary>The name of the meter that carries the registry's instruments: "WasmKit".</summary>
    public const string MeterName = UdfMeterInstruments.MeterName;

    /// <summary>The backend the registry's UDF modules run on.</summary>
    public IWasmBackend Backend { get; }

    /// <summary>What UDF modules may import here: the "wasmkit" document functions, <see cref="UdfRegistryOptions.HostFunctions"/>, WASI when configured.</summary>
    public BackendImports Imports { get; }

    /// <summary>The managed engine UDF modules must be compiled with.</summary>
    /// <exception cref="NotSupportedException">The registry runs on another backend (see <see cref="Backend"/>).</exception>
    public Engine Engine => (Backend as ManagedBackend)?.Engine
        ?? throw new NotSupportedException($"The registry runs on the {Backend.Name} backend, not on the managed engine.");

    /// <summary>The managed linker that instantiates UDF modules: the "wasmkit" document functions, plus <see cref="UdfRegistryOptions.ConfigureLinker"/>.</summary>
    /// <exception cref="NotSupportedException">The registry runs on another backend (see <see cref="Backend"/>).</exception>
    public Linker Linker => (Backend as ManagedBackend)?.GetLinker(Imports)
        ?? throw new NotSupportedException($"The registry runs on the {Backend.Name} backend, not on the managed engine.");

    /// <summary>The engine options a registry creates for itself: resettable instances, fuel and interruption.</summary>
    /// <returns>A new engine.</returns>
    public static Engine CreateEngine() => ManagedBackend.Create().Engine;

    /// <summary>Registers a UDF implemented by an export of a managed <paramref name="module"/>.</summary>
    /// <param name="metadata">What the UDF is; validated here.</param>
    /// <param name="module">The module, compiled with <see cref="Engine"/>.</param>
    /// <param name="limits">Limits for the module's instances (see <see cref="Register(UdfMetadata, IBackendModule, UdfLimits?)"/>).</param>
    /// <returns>The registered metadata.</returns>
    /// <exception cref="UdfValidationException">The metadata is malformed, does not match the export, or the name and version are taken;
    /// or the module could never be instantiated here: it imports what the registry does not define, or a memory of it starts above the memory limit (or the limit is above the engine's cap).</exception>
    public UdfMetadata Register(UdfMetadata metadata, Module module, UdfLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(module);
        if (Backend is not ManagedBackend managed || !ReferenceEquals(module.Engine, managed.Engine))
            throw new UdfValidationException(metadata.Name ?? "(null)", "module", $"module '{module.Name}' was compiled by another engine than the registry's");
        return Register(metadata, managed.Wrap(module), limits);
    }

    /// <summary>Registers a UDF implemented by an export of <paramref name="module"/>.</summary>
    /// <param name="metadata">What the UDF is; validated here.</param>
    /// <param name="module">The module, compiled by <see cref="Backend"/>.</param>
    /// <param name="limits">Limits for the module's instances; members left unset (or <see langword="null"/> for all) take <see cref="UdfRegistryOptions.DefaultLimits"/>. UDFs of one module with equal limits share an instance pool; other limits get a pool of their own.</param>
    /// <returns>The registered metadata.</returns>
    /// <exception cref="UdfValidationException">The metadata is malformed, does not match the export, or the name and version are taken;
    /// or the module could never be instantiated here: it imports what the registry does not define, or a memory of it starts above the memory limit (or the limit is above the backend's cap).</exception>
    public UdfMetadata Register(UdfMetadata metadata, IBackendModule module, UdfLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(module);
        if (!ReferenceEquals(module.Backend, Backend))
            throw new UdfValidationException(metadata.Name ?? "(null)", "module", $"module '{module.Name}' was compiled by another engine than the registry's");
        var (version, defaults, signature) = UdfMetadataValidator.Validate(metadata, module);
        var effective = Effective(limits);
        CheckInstantiable(metadata.Name, module, effective);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_snapshot.Find(metadata.Name, version) is not null)
                throw new UdfValidationException(metadata.Name, "version", $"version {version} is already registered");
            var host = HostFor(module, effective);
            var entry = new UdfEntry(metadata, version, defaults, signature, host, host.NextSlot++, _instruments, _options.DurationSampleInterval);
            host.EntryCount++;
            _snapshot = _snapshot.With(entry);
            return metadata;
        }
    }

    /// <summary>Registers one UDF of a loaded component, with the manifest's limits.</summary>
    /// <param name="metadata">What the UDF is; validated here.</param>
    /// <param name="component">The component, loaded by a <see cref="ComponentLoader"/> on <see cref="Engine"/>.</param>
    /// <returns>The registered metadata.</returns>
    /// <exception cref="UdfValidationException">The metadata is malformed, does not match the export, or the name and version are taken.</exception>
    public UdfMetadata Register(UdfMetadata metadata, LoadedComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return Register(metadata, component.BackendModule, component.Manifest?.Limits.ToUdfLimits());
    }

    /// <summary>Registers every UDF a component's manifest declares, all or none, with the manifest's limits.</summary>
    /// <param name="component">The component, loaded by a <see cref="ComponentLoader"/> on <see cref="Engine"/>.</param>
    /// <returns>The registered metadata, in manifest order.</returns>
    /// <exception cref="UdfValidationException">An entry is malformed, does not match its export, or its name and version are taken; nothing is registered then.</exception>
    public IReadOnlyList<UdfMetadata> Register(LoadedComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var all = component.Udfs.Select(u => u.ToUdfMetadata()).ToArray();
        foreach (var metadata in all) UdfMetadataValidator.Validate(metadata, component.BackendModule);
        var limits = component.Manifest?.Limits.ToUdfLimits();
        var done = new List<UdfMetadata>();
        try
        {
            foreach (var metadata in all) done.Add(Register(metadata, component.BackendModule, limits));
        }
        catch
        {
            foreach (var metadata in done) Unregister(metadata.Name, metadata.Version);
            throw;
        }
        return done;
    }

    /// <summary>
    /// Re-reads the loader's files and directories (<see cref="ComponentLoader.Refresh"/>) and applies the
    /// changes here: see <see cref="Apply(ComponentChanges)"/>.
    /// </summary>
    /// <param name="loader">A loader on <see cref="Engine"/> that tracks the components' files.</param>
    /// <returns>What changed.</returns>
    public UdfRefreshResult Refresh(ComponentLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        return Apply(loader.Refresh());
    }

    /// <summary>
    /// Brings the registry in line with a loader refresh: the UDFs of added components are registered,
    /// an updated component's UDFs replace the previous file's (in one step, so lookups never miss them),
    /// and a removed component's UDFs are unregistered. Calls already running finish on the instances
    /// they hold; new calls use the new versions. A component whose UDFs fail validation is reported
    /// in <see cref="UdfRefreshResult.RegistrationErrors"/> and its previous version stays registered.
    /// </summary>
    /// <param name="changes">The changes from <see cref="ComponentLoader.Refresh"/>.</param>
    /// <returns>What changed.</returns>
    public UdfRefreshResult Apply(ComponentChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var registered = new List<UdfMetadata>();
        var unregistered = new List<UdfMetadata>();
        var errors = new List<UdfValidationException>();
        foreach (var component in changes.Removed) Replace(component, null, registered, unregistered, errors);
        foreach (var update in changes.Updated) Replace(update.Previous, update.Current, registered, unregistered, errors);
        foreach (var component in changes.Added) Replace(null, component, registered, unregistered, errors);
        return new UdfRefreshResult(registered, unregistered, errors, changes.Errors);
    }

    /// <summary>Swaps the UDFs of <paramref name="previous"/> for those of <paramref name="current"/> with one snapshot change.</summary>
    private void Replace(LoadedComponent? previous, LoadedComponent? current,
        List<UdfMetadata> registered, List<UdfMetadata> unregistered, List<UdfValidationException> errors)
    {
        var prepared = new List<(UdfMetadata Metadata, UdfVersion Version, object?[] Defaults, FunctionType Signature)>();
        var limits = Effective(current?.Manifest?.Limits.ToUdfLimits());
        if (current is not null)
        {
            try
            {
                if (!ReferenceEquals(current.BackendModule.Backend, Backend))
                    throw new UdfValidationException(current.Name, "module", $"component '{current.FilePath ?? current.Name}' was compiled by another engine than the registry's");
                foreach (var udf in current.Udfs)
                {
                    var metadata = udf.ToUdfMetadata();
                    var (version, defaults, signature) = UdfMetadataValidator.Validate(metadata, current.BackendModule);
                    CheckInstantiable(metadata.Name, current.BackendModule, limits);
                    prepared.Add((metadata, version, defaults, signature));
                }
            }
            catch (UdfValidationException error)
            {
                errors.Add(error);
                return;
            }
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var snapshot = _snapshot;
            var removed = previous is null ? [] : snapshot.All.Where(e => ReferenceEquals(e.Host.Module, previous.BackendModule)).ToArray();
            foreach (var entry in removed) snapshot = snapshot.Without(entry);
            foreach (var (metadata, version, _, _) in prepared)
            {
                if (snapshot.Find(metadata.Name, version) is not null)
                {
                    errors.Add(new UdfValidationException(metadata.Name, "version", $"version {version} is already registered by another component"));
                    return;
                }
            }
            foreach (var (metadata, version, defaults, signature) in prepared)
            {
                var host = HostFor(current!.BackendModule, limits);
                var entry = new UdfEntry(metadata, version, defaults, signature, host, host.NextSlot++, _instruments, _options.DurationSampleInterval);
                host.EntryCount++;
                snapshot = snapshot.With(entry);
                registered.Add(metadata);
            }
            _snapshot = snapshot;
            // After the new entries, so a module that stays (only its manifest changed) keeps its pool.
            foreach (var entry in removed)
            {
                unregistered.Add(entry.Metadata);
                ReleaseHost(entry.Host);
            }
        }
    }

    /// <summary>A registration's limits with the unset members taken from the registry's defaults.</summary>
    private UdfLimits Effective(UdfLimits? limits) => (limits ?? UdfLimits.None).Over(_options.DefaultLimits);

    /// <summary>
    /// Refuses, at registration rather than at the first call, a module that could never be instantiated
    /// here: an import the linker does not define (e.g. a WASI capability the registry was not given), a
    /// memory limit above the engine's cap, or a memory (exported or not) that starts above the limit.
    /// </summary>
    private void CheckInstantiable(string udf, IBackendModule module, UdfLimits limits)
    {
        foreach (var import in module.FindUnresolvedImports(Imports))
        {
            throw new UdfValidationException(udf, "module",
                $"module '{module.Name}' imports '{import.ModuleName}'.'{import.Name}', which this registry does not provide (define it with UdfRegistryOptions.HostFunctions, Wasi or ConfigureLinker)");
        }
        if (limits.MemoryPages is not uint pages) return;
        uint cap = Backend.Capabilities.MaximumMemoryPages;
        if (pages > cap)
            throw new UdfValidationException(udf, "limits.memoryPages",
                $"{pages} pages is above the engine's cap of {cap} pages");
        foreach (var memory in module.Memories)
        {
            if (memory.Limits.Minimum > pages)
                throw new UdfValidationException(udf, "limits.memoryPages",
                    $"module '{module.Name}' has a memory that starts at {memory.Limits.Minimum} pages, above the limit of {pages} pages");
        }
    }

    /// <summary>The host of the module under its effective <paramref name="limits"/>, created on its first UDF (call under the lock).</summary>
    private UdfModuleHost HostFor(IBackendModule module, UdfLimits limits)
    {
        var key = (Module: module, Limits: limits);
        if (!_hosts.TryGetValue(key, out var host))
        {
            host = new UdfModuleHost(module, Imports, key.Limits, _options.MaximumInstancesPerModule, _watchdogThread);
            _hosts.Add(key, host);
        }
        return host;
    }

    /// <summary>
    /// Drops one UDF's hold on its host; after the last one the host closes its pool once the evaluations
    /// running on it end (call under the lock).
    /// </summary>
    private void ReleaseHost(UdfModuleHost host)
    {
        if (--host.EntryCount > 0) return;
        _hosts.Remove((host.Module, host.Limits));
        host.Retire();
    }

    /// <summary>Removes one UDF version. Calls already running finish; the module's pool closes when its last UDF goes.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version.</param>
    /// <returns>Whether it was registered.</returns>
    public bool Unregister(string name, string version)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!UdfVersion.TryParse(version, out var parsed)) return false;
        lock (_lock)
        {
            var entry = _snapshot.Find(name, parsed);
            if (entry is null) return false;
            _snapshot = _snapshot.Without(entry);
            ReleaseHost(entry.Host);
            return true;
        }
    }

    /// <summary>Every registered UDF version, by name then version.</summary>
    /// <returns>The metadata.</returns>
    public IReadOnlyList<UdfMetadata> List() => _snapshot.All.Select(e => e.Metadata).ToArray();

    /// <summary>One UDF version.</summary>
    /// <param name="name">The name.</param>
    /// <param name="version">The version (semver precedence: "1.0.0+build" finds "1.0.0").</param>
    /// <returns>The metadata, or <see langword="null"/>.</returns>
    public UdfMetadata? Get(string name, string version) =>
        UdfVersion.TryParse(version, out var parsed) ? _snapshot.Find(name, parsed)?.Metadata : null;

    /// <summary>The highest registered version of a UDF by semver precedence.</summary>
    /// <param name="name">The name.</param>
    /// <param name="includePrerelease">Whether prerelease versions count; when false and only prereleases exist, there is no result.</param>
    /// <returns>The metadata, or <see langword="null"/>.</returns>
    public UdfMetadata? GetLatest(string name, bool includePrerelease = true) => _snapshot.Latest(name, includePrerelease)?.Metadata;

    /// <summary>The registered versions of a UDF, lowest first.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The versions.</returns>
    public IReadOnlyList<UdfVersion> GetVersions(string name) => _snapshot.Versions(name).Select(e => e.Version).ToArray();

    /// <summary>UDF versions that carry a tag (case-insensitive).</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The metadata.</returns>
    public IReadOnlyList<UdfMetadata> FindByTag(string tag) =>
        Query(m => m.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase));

    /// <summary>UDF versions in a category (case-insensitive).</summary>
    /// <param name="category">The category.</param>
    /// <returns>The metadata.</returns>
    public IReadOnlyList<UdfMetadata> FindByCategory(string category) =>
        Query(m => string.Equals(m.Category, category, StringComparison.OrdinalIgnoreCase));

    /// <summary>UDF versions by an author (case-insensitive).</summary>
    /// <param name="author">The author.</param>
    /// <returns>The metadata.</returns>
    public IReadOnlyList<UdfMetadata> FindByAuthor(string author) =>
        Query(m => string.Equals(m.Author, author, StringComparison.OrdinalIgnoreCase));

    /// <summary>UDF versions whose metadata satisfies a predicate.</summary>
    /// <param name="predicate">The test.</param>
    /// <returns>The metadata.</returns>
    public IReadOnlyList<UdfMetadata> Query(Func<UdfMetadata, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _snapshot.All.Select(e => e.Metadata).Where(predicate).ToArray();
    }

    /// <summary>Calls a UDF on one document.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="document">The document the UDF reads through the "wasmkit" host functions.</param>
    /// <param name="arguments">Named arguments; optional parameters left out take their defaults.</param>
    /// <returns>The first result, or <see cref="UdfValue.None"/> for a UDF without results.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">An argument is missing, unknown or of the wrong type.</exception>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public UdfValue Call(string name, string? version, JsonElement document, IReadOnlyDictionary<string, object?>? arguments = null) =>
        Call(name, version, new UdfDocument(document), arguments);

    /// <summary>Calls a UDF on one document with an identifier and a search score.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="document">The document.</param>
    /// <param name="arguments">Named arguments; optional parameters left out take their defaults.</param>
    /// <returns>The first result, or <see cref="UdfValue.None"/> for a UDF without results.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">An argument is missing, unknown or of the wrong type.</exception>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public UdfValue Call(string name, string? version, UdfDocument document, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        var sink = new AllResultsSink();
        // A refresh may close the version looked up before the call starts: then the lookup is repeated.
        var entry = Resolve(name, version);
        while (!entry.TryEvaluate(entry.Prepare(arguments), new SingleDocument(document), ref sink, single: true)) entry = Resolve(name, version);
        return sink.First;
    }

    /// <summary>Calls a UDF on one document and returns every result (for UDFs with several results).</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="document">The document.</param>
    /// <param name="arguments">Named arguments.</param>
    /// <returns>The results, in declared order.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">An argument is missing, unknown or of the wrong type.</exception>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public IReadOnlyList<UdfValue> CallAll(string name, string? version, UdfDocument document, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        var entry = Resolve(name, version);
        var sink = new AllResultsSink();
        while (!entry.TryEvaluate(entry.Prepare(arguments), new SingleDocument(document), ref sink, single: true)) entry = Resolve(name, version);
        return sink.Values ?? (entry.Returns.Length == 0 ? [] : [sink.First]);
    }

    /// <summary>Keeps the documents for which a bool UDF returns true, evaluating the whole batch in one pooled instance.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="arguments">Named arguments, the same for every document.</param>
    /// <returns>The kept documents, in input order.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">Bad arguments, or the UDF does not return bool.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document (see <see cref="UdfExecutionException.DocumentIndex"/>).</exception>
    public IReadOnlyList<JsonElement> Filter(string name, string? version, IReadOnlyList<JsonElement> documents, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var kept = FilterIndices(name, version, documents, arguments);
        return kept.Select(i => documents[i]).ToArray();
    }

    /// <summary>Keeps the documents for which a bool UDF returns true, evaluating the whole batch in one pooled instance.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="documents">The documents with identifiers and scores.</param>
    /// <param name="arguments">Named arguments, the same for every document.</param>
    /// <returns>The kept documents, in input order.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">Bad arguments, or the UDF does not return bool.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public IReadOnlyList<UdfDocument> Filter(string name, string? version, IReadOnlyList<UdfDocument> documents, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var entry = Resolve(name, version);
        RequireSingleResult(entry, UdfType.Bool);
        var kept = new List<int>();
        var sink = new FilterSink(kept);
        while (!entry.TryEvaluate(entry.Prepare(arguments), new DocumentList(documents), ref sink))
        {
            entry = Resolve(name, version);
            RequireSingleResult(entry, UdfType.Bool);
        }
        return kept.Select(i => documents[i]).ToArray();
    }

    /// <summary>Scores every document with a numeric UDF, evaluating the whole batch in one pooled instance.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="arguments">Named arguments, the same for every document.</param>
    /// <returns>One score per document, in input order.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">Bad arguments, or the UDF does not return a number.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public double[] Score(string name, string? version, IReadOnlyList<JsonElement> documents, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var entry = Resolve(name, version);
        RequireNumericResult(entry);
        var scores = new double[documents.Count];
        var sink = new ScoreSink(scores);
        while (!entry.TryEvaluate(entry.Prepare(arguments), new ElementList(documents), ref sink))
        {
            entry = Resolve(name, version);
            RequireNumericResult(entry);
        }
        return scores;
    }

    /// <summary>Scores every document (with identifiers and search scores) with a numeric UDF in one pooled instance.</summary>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="arguments">Named arguments, the same for every document.</param>
    /// <returns>One score per document, in input order.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">Bad arguments, or the UDF does not return a number.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public double[] Score(string name, string? version, IReadOnlyList<UdfDocument> documents, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var entry = Resolve(name, version);
        RequireNumericResult(entry);
        var scores = new double[documents.Count];
        var sink = new ScoreSink(scores);
        while (!entry.TryEvaluate(entry.Prepare(arguments), new DocumentList(documents), ref sink))
        {
            entry = Resolve(name, version);
            RequireNumericResult(entry);
        }
        return scores;
    }

    /// <summary>
    /// A typed handle on one UDF version with its arguments checked and lowered once: calls through it skip name lookup,
    /// dictionary work and conversions.
    /// </summary>
    /// <typeparam name="TResult">bool, int, long, float, double or string matching the UDF's result (or <see cref="UdfValue"/>, or object).</typeparam>
    /// <param name="name">The UDF name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest at this moment.</param>
    /// <param name="arguments">Named arguments bound into the handle.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    /// <exception cref="UdfArgumentException">Bad arguments, or <typeparamref name="TResult"/> does not fit the UDF's result.</exception>
    public UdfFunction<TResult> GetFunction<TResult>(string name, string? version = null, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        var entry = Resolve(name, version);
        if (entry.Returns.Length != 1 || !UdfResultConversion.Supports(typeof(TResult), entry.Returns[0]))
            throw new UdfArgumentException(entry.DisplayName, "TResult",
                $"a {typeof(TResult).Name} handle does not fit results ({string.Join(", ", entry.Returns.Select(r => r.ToManifestName()))})");
        return new UdfFunction<TResult>(entry, entry.Prepare(arguments));
    }

    /// <summary>Statistics of one UDF version.</summary>
    /// <param name="name">The name.</param>
    /// <param name="version">The version, or <see langword="null"/> for the latest.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="UdfNotFoundException">No such UDF.</exception>
    public UdfStatistics GetStatistics(string name, string? version = null) => Resolve(name, version).Statistics();

    /// <summary>Statistics of every registered UDF version, by name then version.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<UdfStatistics> GetStatistics() => _snapshot.All.Select(e => e.Statistics()).ToArray();

    /// <summary>Closes every pool and the meter; an engine the registry created is disposed too.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var host in _hosts.Values) host.Dispose();
            _hosts.Clear();
            _snapshot = RegistrySnapshot.Empty;
        }
        _watchdogThread.Dispose();
        _instruments.Dispose();
        _ownedEngine?.Dispose();
    }

    internal UdfEntry Resolve(string name, string? version)
    {
        ArgumentNullException.ThrowIfNull(name);
        var snapshot = _snapshot;
        UdfEntry? entry;
        if (version is null)
        {
            entry = snapshot.Latest(name, includePrerelease: true);
        }
        else
        {
            entry = snapshot.FindExact(name, version);
            if (entry is null && UdfVersion.TryParse(version, out var parsed)) entry = snapshot.Find(name, parsed);
        }
        return entry ?? throw new UdfNotFoundException(name, version);
    }

    private static void RequireSingleResult(UdfEntry entry, UdfType type)
    {
        if (entry.Returns.Length != 1 || entry.Returns[0] != type)
            throw new UdfArgumentException(entry.DisplayName, "returns", $"a filter needs a UDF that returns one {type.ToManifestName()}");
    }

    private static void RequireNumericResult(UdfEntry entry)
    {
        if (entry.Returns.Length != 1 || entry.Returns[0] is UdfType.String or UdfType.Bool)
            throw new UdfArgumentException(entry.DisplayName, "returns", "scoring needs a UDF that returns one number");
    }

    private List<int> FilterIndices(string name, string? version, IReadOnlyList<JsonElement> documents, IReadOnlyDictionary<string, object?>? arguments)
    {
        var kept = new List<int>();
        var sink = new FilterSink(kept);
        UdfEntry entry;
        do
        {
            entry = Resolve(name, version);
            RequireSingleResult(entry, UdfType.Bool);
        }
        while (!entry.TryEvaluate(entry.Prepare(arguments), new ElementList(documents), ref sink));
        return kept;
    }
}
