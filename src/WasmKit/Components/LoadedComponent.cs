using WasmKit.Backends;
using WasmKit.Backends.Managed;

namespace WasmKit.Components;

/// <summary>
/// One loaded version of a component: its compiled module and checked manifest. Immutable: when the
/// file changes, the loader makes a new <see cref="LoadedComponent"/> and leaves this one working.
/// </summary>
public sealed class LoadedComponent
{
    internal LoadedComponent(IBackendModule module, ComponentManifest? manifest, string? filePath, string? manifestPath, string sourceHash)
    {
        BackendModule = module;
        Manifest = manifest;
        FilePath = filePath;
        ManifestPath = manifestPath;
        SourceHash = sourceHash;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The manifest's name, else the module's name (the file name without extension).</summary>
    public string Name => Manifest?.Name ?? BackendModule.Name;

    /// <summary>The manifest's semantic version, or null without a manifest.</summary>
    public string? Version => Manifest?.Version;

    /// <summary>The compiled module, as the loader's backend made it.</summary>
    public IBackendModule BackendModule { get; }

    /// <summary>The compiled module of the managed engine.</summary>
    /// <exception cref="NotSupportedException">The loader runs on another backend (use <see cref="BackendModule"/>).</exception>
    public Module Module => (BackendModule as ManagedBackendModule)?.Module
        ?? throw new NotSupportedException($"The component was compiled by the {BackendModule.Backend.Name} backend: use BackendModule.");

    /// <summary>The checked manifest, or null when the component came without one.</summary>
    public ComponentManifest? Manifest { get; }

    /// <summary>The manifest's UDFs (empty without a manifest).</summary>
    public IReadOnlyList<ManifestUdf> Udfs => Manifest?.Udfs ?? [];

    /// <summary>The <c>.wasm</c> file it came from, or null when loaded from bytes.</summary>
    public string? FilePath { get; }

    /// <summary>The manifest file it came with, or null.</summary>
    public string? ManifestPath { get; }

    /// <summary>The SHA-256 of the module's bytes (<see cref="IBackendModule.ContentHash"/>).</summary>
    public string ContentHash => BackendModule.ContentHash;

    /// <summary>A hash of the module and manifest bytes together: it changes when either file changes.</summary>
    public string SourceHash { get; }

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <inheritdoc />
    public override string ToString() => Version is null ? Name : $"{Name}@{Version}";
}
