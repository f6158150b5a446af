using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>What compiling a module's bytes produces; shared by every <see cref="Module"/> loaded from the same bytes.</summary>
internal sealed record CompiledArtifacts(ModuleDefinition Definition, CompiledModule Code);
