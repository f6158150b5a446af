using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace WasmKit.Compilation;

/// <summary>Creates the dynamic assemblies that hold generated code.</summary>
internal static class DynamicAssemblies
{
    /// <summary>
    /// A dynamic module; collectible ones are unloaded once unreachable, but the runtime never tiers
    /// their code (it compiles each method once, fully optimised), so tiered code must not be collectible.
    /// </summary>
    public static ModuleBuilder Define(string name, bool collectible = true)
    {
        var access = collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run;
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), access);
        var ignoreChecks = typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!;
        assembly.SetCustomAttribute(new CustomAttributeBuilder(ignoreChecks, [typeof(Engine).Assembly.GetName().Name!]));
        return assembly.DefineDynamicModule(name);
    }
}
