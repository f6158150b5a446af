using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace WasmKit.Compilation;

/// <summary>Creates the collectible dynamic assemblies that hold generated code.</summary>
internal static class DynamicAssemblies
{
    public static ModuleBuilder Define(string name)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.RunAndCollect);
        var ignoreChecks = typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!;
        assembly.SetCustomAttribute(new CustomAttributeBuilder(ignoreChecks, [typeof(Engine).Assembly.GetName().Name!]));
        return assembly.DefineDynamicModule(name);
    }
}
