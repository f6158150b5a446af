using System.Security.Cryptography;
using WasmKit.BinaryFormat;
using WasmKit.Compilation;
using WasmKit.Validation;

namespace WasmKit;

/// <summary>
/// A decoded, validated and compiled WebAssembly module. Compiled once; any number of instances,
/// in any number of stores, share its code. Thread-safe.
/// </summary>
public sealed class Module
{
    private Module(Engine engine, string name, CompiledArtifacts artifacts, string hash)
    {
        Engine = engine;
        Name = name;
        Artifacts = artifacts;
        ContentHash = hash;
        var definition = artifacts.Definition;
        Imports = definition.Imports.Select(i => new ImportDescriptor(i.ModuleName, i.Name, i.Kind, DescribeImportType(definition, i))).ToArray();
        Exports = definition.Exports.Select(e => new ExportDescriptor(e.Name, e.Kind, DescribeExportType(definition, e))).ToArray();
    }

    /// <summary>The engine the module was compiled for.</summary>
    public Engine Engine { get; }

    /// <summary>The module's name: the one given when loading, else the name section's, else "module".</summary>
    public string Name { get; }

    /// <summary>What the module imports, in order.</summary>
    public IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <summary>What the module exports, in order.</summary>
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <summary>The SHA-256 of the module's bytes, in lowercase hex: equal for equal bytes.</summary>
    public string ContentHash { get; }

    internal ModuleDefinition Definition => Artifacts.Definition;

    internal CompiledModule Compiled => Artifacts.Code;

    private CompiledArtifacts Artifacts { get; }

    private Backends.Managed.ManagedBackendModule? _backendModule;

    /// <summary>This module behind the backend seam: one per module, so that the product layer can compare modules by reference.</summary>
    internal Backends.Managed.ManagedBackendModule BackendModule
    {
        get
        {
            if (_backendModule is null) Interlocked.CompareExchange(ref _backendModule, new Backends.Managed.ManagedBackendModule(this), null);
            return _backendModule;
        }
    }

    /// <summary>Decodes, validates and compiles a module; bytes compiled before by the same engine (and still loaded) are not compiled again.</summary>
    /// <param name="engine">The engine to compile for.</param>
    /// <param name="bytes">The module in the binary format.</param>
    /// <param name="name">A name for errors and backtraces.</param>
    /// <returns>The module.</returns>
    /// <exception cref="WasmFormatException">The bytes are malformed.</exception>
    /// <exception cref="WasmValidationException">The module is invalid.</exception>
    /// <exception cref="WasmImplementationLimitException">The module is valid but exceeds one of the <see cref="ImplementationLimits"/>.</exception>
    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> bytes, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var artifacts = engine.Options.CacheModules ? engine.FindCompiled(hash) : null;
        if (artifacts is null)
        {
            var definition = ModuleDecoder.Decode(bytes.ToArray());
            ModuleValidator.Validate(definition);
            artifacts = new CompiledArtifacts(definition, ModuleCompiler.Compile(engine, definition, name ?? definition.ModuleName ?? "module"));
            if (engine.Options.CacheModules) engine.RememberCompiled(hash, artifacts);
        }
        return new Module(engine, name ?? artifacts.Definition.ModuleName ?? "module", artifacts, hash);
    }

    /// <summary>Loads a module from a <c>.wasm</c> file.</summary>
    /// <param name="engine">The engine to compile for.</param>
    /// <param name="path">The file's path.</param>
    /// <returns>The module, named after the file.</returns>
    /// <exception cref="WasmFormatException">The file is malformed.</exception>
    /// <exception cref="WasmValidationException">The module is invalid.</exception>
    /// <exception cref="WasmImplementationLimitException">The module is valid but exceeds one of the <see cref="ImplementationLimits"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Module FromFile(Engine engine, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromBytes(engine, File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Decodes and validates a module without compiling it.</summary>
    /// <param name="engine">The engine the module would be compiled for.</param>
    /// <param name="bytes">The module in the binary format.</param>
    /// <exception cref="WasmFormatException">The bytes are malformed.</exception>
    /// <exception cref="WasmValidationException">The module is invalid.</exception>
    /// <exception cref="WasmImplementationLimitException">The module is valid but exceeds one of the <see cref="ImplementationLimits"/>.</exception>
    public static void Validate(Engine engine, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ModuleValidator.Validate(ModuleDecoder.Decode(bytes.ToArray()));
    }

    /// <inheritdoc />
    public override string ToString() => $"module {Name}";

    private static object DescribeImportType(ModuleDefinition module, ImportDefinition import) => import.Kind switch
    {
        ExternalKind.Function => module.Types[(int)import.FunctionTypeIndex],
        ExternalKind.Table => import.Table,
        ExternalKind.Memory => import.Memory,
        _ => import.Global,
    };

    private static object DescribeExportType(ModuleDefinition module, ExportDefinition export) => export.Kind switch
    {
        ExternalKind.Function => module.GetFunctionType((int)export.Index),
        ExternalKind.Table => module.GetTableType((int)export.Index),
        ExternalKind.Memory => module.GetMemoryType((int)export.Index),
        _ => module.GetGlobalType((int)export.Index),
    };
}
