using System.Security.Cryptography;
using WasmKit.Backends;
using WasmKit.Backends.Managed;

namespace WasmKit.Components;

/// <summary>
/// Loads components: a <c>.wasm</c> module plus an optional manifest (<c>NAME.json</c> beside
/// <c>NAME.wasm</c>), checked against each other. Each distinct module compiles once (cached by the
/// SHA-256 of its bytes). Files and directories it loaded are remembered, and <see cref="Refresh"/>
/// loads changed files as new versions while old versions keep working for whoever holds them.
/// Modules are compiled by a backend (<see cref="Backend"/>): the managed engine unless another is given.
/// Thread-safe.
/// </summary>
public sealed class ComponentLoader
{
    /// <summary>The export UDFs with string parameters need, to get guest memory for the arguments.</summary>
    public const string AllocExport = "wasmkit_alloc";

    /// <summary>The memory export UDFs with string parameters or results need.</summary>
    public const string MemoryExport = "memory";

    private readonly object _gate = new();
    private readonly Dictionary<string, WeakReference<IBackendModule>> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadedComponent> _current = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    /// <summary>Creates a loader on the managed engine.</summary>
    /// <param name="engine">The engine to compile for (use <see cref="EngineOptions.ResettableInstances"/> to pool the instances).</param>
    public ComponentLoader(Engine engine)
        : this(ManagedBackend.For(engine ?? throw new ArgumentNullException(nameof(engine))))
    {
    }

    /// <summary>Creates a loader on a backend.</summary>
    /// <param name="backend">The backend that compiles the modules (a registry using them must run on the same backend).</param>
    public ComponentLoader(IWasmBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
    }

    /// <summary>The backend that compiles the modules.</summary>
    public IWasmBackend Backend { get; }

    /// <summary>The managed engine modules are compiled for.</summary>
    /// <exception cref="NotSupportedException">The loader runs on another backend (see <see cref="Backend"/>).</exception>
    public Engine Engine => (Backend as ManagedBackend)?.Engine
        ?? throw new NotSupportedException($"The loader runs on the {Backend.Name} backend, not on the managed engine.");

    /// <summary>The current version of every component loaded from a file, ordered by path.</summary>
    public IReadOnlyList<LoadedComponent> Components
    {
        get
        {
            lock (_gate) return _current.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).ToArray();
        }
    }

    /// <summary>Loads a component from bytes; it is not tracked for <see cref="Refresh"/>.</summary>
    /// <param name="bytes">The module in the binary format.</param>
    /// <param name="manifest">Its manifest, checked against the module; null for none.</param>
    /// <param name="name">The module's name, for errors and backtraces.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ComponentLoadException">The module is malformed or invalid, or does not match the manifest.</exception>
    public LoadedComponent LoadBytes(ReadOnlySpan<byte> bytes, ComponentManifest? manifest = null, string? name = null)
    {
        var module = Compile(bytes, name ?? manifest?.Name, null);
        if (manifest is not null) Check(module, manifest, null);
        return new LoadedComponent(module, manifest, null, null, SourceHash(module.ContentHash, null));
    }

    /// <summary>Loads <c>NAME.wasm</c> and, when present, <c>NAME.json</c> beside it, and tracks the file for <see cref="Refresh"/>.</summary>
    /// <param name="path">The <c>.wasm</c> file.</param>
    /// <returns>The component; the current one if the files did not change since the last load.</returns>
    /// <exception cref="ComponentLoadException">A file cannot be read, the manifest is invalid, or the module is invalid or does not match it.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public LoadedComponent LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        lock (_gate)
        {
            var (component, _) = LoadTracked(full);
            _files.Add(full);
            return component;
        }
    }

    /// <summary>Loads every <c>*.wasm</c> file of a directory (each with its optional manifest) and tracks the directory for <see cref="Refresh"/>.</summary>
    /// <param name="path">The directory.</param>
    /// <returns>The components, ordered by file name.</returns>
    /// <exception cref="ComponentLoadException">A file fails to load (the first, by name); the directory is then not tracked.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public IReadOnlyList<LoadedComponent> LoadDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"The component directory '{full}' does not exist.");
        lock (_gate)
        {
            var loaded = new List<LoadedComponent>();
            foreach (var file in WasmFiles(full)) loaded.Add(LoadTracked(file).Component);
            _directories.Add(full);
            return loaded;
        }
    }

    /// <summary>
    /// Re-reads the tracked files and directories: new files are loaded, changed ones load as new
    /// versions, missing ones are dropped. Files that fail to load are reported in
    /// <see cref="ComponentChanges.Errors"/> and keep their previous version.
    /// </summary>
    /// <returns>What changed.</returns>
    public ComponentChanges Refresh()
    {
        var added = new List<LoadedComponent>();
        var updated = new List<ComponentUpdate>();
        var removed = new List<LoadedComponent>();
        var errors = new List<ComponentLoadException>();
        lock (_gate)
        {
            var wanted = new SortedSet<string>(_files.Where(File.Exists), StringComparer.Ordinal);
            foreach (var directory in _directories.Where(Directory.Exists))
                foreach (var file in WasmFiles(directory)) wanted.Add(file);
            foreach (var (path, component) in _current.ToArray())
            {
                if (wanted.Contains(path)) continue;
                _current.Remove(path);
                removed.Add(component);
            }
            foreach (var path in wanted)
            {
                _current.TryGetValue(path, out var previous);
                try
                {
                    var (component, changed) = LoadTracked(path);
                    if (!changed) continue;
                    if (previous is null) added.Add(component);
                    else updated.Add(new ComponentUpdate(previous, component));
                }
                catch (ComponentLoadException error)
                {
                    errors.Add(error);
                }
            }
        }
        return new ComponentChanges(added, updated, removed, errors);
    }

    /// <summary>Loads a file unless its bytes match the current version; makes the result current.</summary>
    private (LoadedComponent Component, bool Changed) LoadTracked(string wasmPath)
    {
        string manifestPath = Path.ChangeExtension(wasmPath, ".json");
        byte[] wasm = ReadFile(wasmPath);
        byte[]? manifestBytes = File.Exists(manifestPath) ? ReadFile(manifestPath) : null;
        string wasmHash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        string sourceHash = SourceHash(wasmHash, manifestBytes);
        if (_current.TryGetValue(wasmPath, out var current) && current.SourceHash == sourceHash) return (current, false);

        var manifest = manifestBytes is null ? null : ComponentManifest.Parse(manifestBytes, manifestPath);
        var module = Compile(wasm, Path.GetFileNameWithoutExtension(wasmPath), wasmPath);
        if (manifest is not null) Check(module, manifest, manifestPath);
        var component = new LoadedComponent(module, manifest, wasmPath, manifestBytes is null ? null : manifestPath, sourceHash);
        _current[wasmPath] = component;
        return (component, true);
    }

    /// <summary>Compiles a module, or reuses the one compiled from the same bytes under the same name.</summary>
    private IBackendModule Compile(ReadOnlySpan<byte> bytes, string? name, string? filePath)
    {
        // The backend's configuration key is constant per loader; it keeps keys meaningful if a cache ever outlives one.
        string key = Convert.ToHexStringLower(SHA256.HashData(bytes)) + "/" + Backend.ConfigurationKey + "/" + name;
        lock (_gate)
        {
            if (_modules.TryGetValue(key, out var weak) && weak.TryGetTarget(out var cached)) return cached;
        }
        IBackendModule module;
        try
        {
            module = Backend.Compile(bytes, name);
        }
        catch (Exception error) when (error is WasmFormatException or WasmValidationException)
        {
            throw new ComponentLoadException(filePath, null, $"the module is not valid WebAssembly: {error.Message}", error);
        }
        catch (Exception error) when (error is not (OutOfMemoryException or OperationCanceledException))
        {
            // Anything else (an engine limit, a CLR type that cannot be built) is this file's failure too, not the caller's.
            throw new ComponentLoadException(filePath, null, $"the module could not be compiled: {error.GetType().Name}: {error.Message}", error);
        }
        lock (_gate)
        {
            foreach (var (stale, weak) in _modules.ToArray())
                if (!weak.TryGetTarget(out _)) _modules.Remove(stale);
            _modules[key] = new WeakReference<IBackendModule>(module);
        }
        return module;
    }

    /// <summary>Checks a module against its manifest: capabilities, memory limit, UDF exports and their signatures.</summary>
    private static void Check(IBackendModule module, ComponentManifest manifest, string? manifestPath)
    {
        foreach (var import in module.Imports)
        {
            if (!manifest.Capabilities.Contains(import.ModuleName, StringComparer.Ordinal))
                throw new ComponentLoadException(manifestPath, "capabilities",
                    $"the module imports '{import.ModuleName}'.'{import.Name}', but '{import.ModuleName}' is not a declared capability (declared: {string.Join(", ", manifest.Capabilities)})");
        }

        if (manifest.Limits?.MemoryPages is uint pages)
        {
            // Every memory counts, exported or not: a private one above the limit would fail at every instantiation.
            foreach (var memory in module.Memories)
            {
                if (memory.Limits.Minimum > pages)
                    throw new ComponentLoadException(manifestPath, "limits.memoryPages",
                        $"the module's memory starts at {memory.Limits.Minimum} pages, above the limit of {pages}");
            }
        }

        for (int i = 0; i < manifest.Udfs.Count; i++)
        {
            var udf = manifest.Udfs[i];
            string field = $"udfs[{i}]";
            var export = module.Exports.FirstOrDefault(e => e.Name == udf.Export);
            if (export is null)
                throw new ComponentLoadException(manifestPath, field + ".export", $"the module has no export named '{udf.Export}'");
            if (export.Type is not FunctionType actual)
                throw new ComponentLoadException(manifestPath, field + ".export", $"the export '{udf.Export}' is a {export.Kind}, not a function");
            var expected = new FunctionType(
                udf.Parameters.SelectMany(p => ManifestTypes.ParameterKinds(p.Type)),
                udf.Returns.Select(ManifestTypes.ResultKind));
            if (!expected.Equals(actual))
                throw new ComponentLoadException(manifestPath, field + ".parameters",
                    $"the export '{udf.Export}' has type {actual}, but the declared parameters and returns need {expected}");
            bool stringParameters = udf.Parameters.Any(p => p.Type == ManifestTypes.String);
            bool strings = stringParameters || udf.Returns.Contains(ManifestTypes.String);
            if (stringParameters && !module.Exports.Any(e => e.Name == AllocExport && e.Type is FunctionType alloc && alloc.Equals(FunctionType.Of([ValueKind.Int32], [ValueKind.Int32]))))
                throw new ComponentLoadException(manifestPath, field + ".parameters",
                    $"string parameters need the module to export '{AllocExport}' of type (i32) -> i32");
            if (strings && !module.Exports.Any(e => e.Name == MemoryExport && e.Kind == ExternalKind.Memory))
                throw new ComponentLoadException(manifestPath, field,
                    $"string parameters and results need the module to export its memory as '{MemoryExport}'");
        }
    }

    private static IEnumerable<string> WasmFiles(string directory) =>
        Directory.GetFiles(directory, "*.wasm").Select(Path.GetFullPath).Order(StringComparer.Ordinal);

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ComponentLoadException(path, null, $"cannot read the file: {error.Message}", error);
        }
    }

    private static string SourceHash(string wasmHash, byte[]? manifest) =>
        manifest is null ? wasmHash : wasmHash + "+" + Convert.ToHexStringLower(SHA256.HashData(manifest));
}
