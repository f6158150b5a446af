using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>Compiles every function of a validated module to IL in one collectible dynamic type.</summary>
internal static class ModuleCompiler
{
    public static CompiledModule Compile(Engine engine, ModuleDefinition module, string name) => throw new NotImplementedException();
}
