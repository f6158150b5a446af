using System.Reflection;
using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// Compiles every function of a validated module into one static method each, in one collectible
/// dynamic type. Methods call each other directly (so the JIT may inline small ones); the module's
/// code is freed once neither the module nor any of its instances is reachable.
/// </summary>
internal static class ModuleCompiler
{
    public static CompiledModule Compile(Engine engine, ModuleDefinition module, string name)
    {
        var typeIds = module.Types.Select(engine.InternType).ToArray();
        var defined = module.FunctionTypeIndices.Count;
        if (defined == 0) return new CompiledModule(null, [], typeIds);

        var builder = DynamicAssemblies.Define("WasmKit.Module." + SanitizeName(name));
        var typeBuilder = builder.DefineType("WasmCode", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        var methods = new MethodBuilder[defined];
        var methodNames = new string[defined];
        for (int i = 0; i < defined; i++)
        {
            int functionIndex = module.ImportedFunctionCount + i;
            var type = module.Types[(int)module.FunctionTypeIndices[i]];
            methodNames[i] = TrapBacktrace.MethodName(functionIndex, module.DescribeFunction(functionIndex));
            methods[i] = typeBuilder.DefineMethod(methodNames[i], MethodAttributes.Public | MethodAttributes.Static,
                CallingConvention.ReturnType(type), CallingConvention.ParameterTypes(type));
        }

        var compilation = new ModuleCompilation(module, methods, typeIds, engine.Options);
        for (int i = 0; i < defined; i++)
        {
            var type = module.Types[(int)module.FunctionTypeIndices[i]];
            var body = module.Bodies[i];
            var target = methods[i];
            int frameEstimate = LargeFrameGuard.EstimateFrameSize(type, body);
            if (frameEstimate > LargeFrameGuard.Threshold)
            {
                target = typeBuilder.DefineMethod(methodNames[i] + " body", MethodAttributes.Public | MethodAttributes.Static,
                    CallingConvention.ReturnType(type), CallingConvention.ParameterTypes(type));
                target.SetImplementationFlags(MethodImplAttributes.NoInlining);
                LargeFrameGuard.EmitEntry(methods[i], target, type, frameEstimate);
            }
            new FunctionCompiler(compilation, module.ImportedFunctionCount + i, body, target).Compile();
        }

        var exported = module.Exports
            .Where(e => e.Kind == ExternalKind.Function && e.Index >= module.ImportedFunctionCount)
            .Select(e => (int)e.Index - module.ImportedFunctionCount)
            .Distinct()
            .Where(i => HostEntryEmitter.CanEnter(module.Types[(int)module.FunctionTypeIndices[i]]))
            .ToArray();
        foreach (int i in exported)
            HostEntryEmitter.Emit(typeBuilder, methods[i], methodNames[i], module.Types[(int)module.FunctionTypeIndices[i]]);

        var codeType = typeBuilder.CreateType();
        var pointers = new nint[defined];
        var byName = codeType.GetMethods(BindingFlags.Public | BindingFlags.Static).ToDictionary(m => m.Name, StringComparer.Ordinal);
        for (int i = 0; i < defined; i++) pointers[i] = byName[methodNames[i]].MethodHandle.GetFunctionPointer();
        var entries = exported.ToDictionary(i => i, i => byName[HostEntryEmitter.EntryName(methodNames[i])]);
        return new CompiledModule(codeType, pointers, typeIds, entries);
    }

    private static string SanitizeName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(64).ToArray();
        return chars.Length == 0 ? "module" : new string(chars);
    }
}
