using System.Reflection;
using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// Compiles every function of a validated module into one static method each, in dynamic types of at
/// most <see cref="FunctionsPerType"/> functions (a type holds at most 65,535 methods). Methods call each
/// other directly, also across types (so the JIT may inline small ones). Collectible code is freed once
/// neither the module nor any of its instances is reachable; tiered code (see <see cref="CodeTiering"/>)
/// stays loaded, so the engine bounds how much of it it makes.
/// </summary>
internal static class ModuleCompiler
{
    /// <summary>
    /// Functions per generated type. Each may add a host entry and a large-frame body method, so a type
    /// holds at most three times this many methods, well below the runtime's 65,535 (the region methods
    /// of split bodies go to types of their own, see <see cref="RegionMethods"/>).
    /// </summary>
    public const int FunctionsPerType = 10_000;

    /// <summary>
    /// What a module counts against <see cref="EngineOptions.MaxTieredCodeBytes"/> besides its function
    /// bodies: its types, metadata and entries stay loaded too, so a stream of tiny modules is bounded as well.
    /// </summary>
    public const long TieredModuleOverheadBytes = 4096;

    public static CompiledModule Compile(Engine engine, ModuleDefinition module, string name)
    {
        var typeIds = module.Types.Select(engine.InternType).ToArray();
        var defined = module.FunctionTypeIndices.Count;
        if (defined == 0) return new CompiledModule([], [], typeIds);

        long codeBytes = module.Bodies.Sum(body => (long)(body.CodeEnd - body.CodeStart));
        bool collectible = engine.Options.CodeTiering switch
        {
            CodeTiering.Collectible => true,
            CodeTiering.Automatic when codeBytes > engine.Options.AutomaticTieringMaxCodeBytes => true,
            _ => !engine.TryReserveTieredCode(TieredModuleOverheadBytes + codeBytes),
        };
        var typeBuilders = new TypeBuilder[(defined + FunctionsPerType - 1) / FunctionsPerType];
        int regionEstimate = RegionMethods.EstimateCount(module, engine.Options.Outlining);
        // Collectible code gets an assembly per module, so that it unloads with the module; tiered code
        // shares one with other modules of the engine, in types named apart.
        var (builder, typePrefix) = collectible
            ? (DynamicAssemblies.Define("WasmKit.Module." + SanitizeName(name), collectible: true), "")
            : engine.NextTieredCodeTarget(typeBuilders.Length + (regionEstimate > 0 ? 1 : 0), methodCount: 3 * defined + regionEstimate);
        typePrefix += collectible ? "" : SanitizeName(name) + ".";
        for (int t = 0; t < typeBuilders.Length; t++)
            typeBuilders[t] = builder.DefineType(typePrefix + (t == 0 ? "WasmCode" : $"WasmCode{t}"), TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        TypeBuilder TypeOf(int definedIndex) => typeBuilders[definedIndex / FunctionsPerType];

        var methods = new MethodBuilder[defined];
        var methodNames = new string[defined];
        for (int i = 0; i < defined; i++)
        {
            int functionIndex = module.ImportedFunctionCount + i;
            var type = module.Types[(int)module.FunctionTypeIndices[i]];
            methodNames[i] = TrapBacktrace.MethodName(functionIndex, module.DescribeFunction(functionIndex));
            methods[i] = TypeOf(i).DefineMethod(methodNames[i], MethodAttributes.Public | MethodAttributes.Static,
                CallingConvention.ReturnType(type), CallingConvention.ParameterTypes(type));
        }

        var regions = new RegionMethods(builder, typePrefix);
        var compilation = new ModuleCompilation(module, methods, typeIds, engine.Options, regions);
        for (int i = 0; i < defined; i++)
        {
            var type = module.Types[(int)module.FunctionTypeIndices[i]];
            var body = module.Bodies[i];
            var target = methods[i];
            int frameEstimate = LargeFrameGuard.EstimateFrameSize(type, body);
            if (frameEstimate > LargeFrameGuard.Threshold)
            {
                target = TypeOf(i).DefineMethod(methodNames[i] + " body", MethodAttributes.Public | MethodAttributes.Static,
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
            HostEntryEmitter.Emit(TypeOf(i), methods[i], methodNames[i], module.Types[(int)module.FunctionTypeIndices[i]]);

        var codeTypes = new Type[typeBuilders.Length];
        var byName = new Dictionary<string, MethodInfo>[typeBuilders.Length];
        Dictionary<string, List<MethodInfo>> regionMethods;
        try
        {
            regionMethods = regions.CreateTypes();
            for (int t = 0; t < typeBuilders.Length; t++)
            {
                codeTypes[t] = typeBuilders[t].CreateType();
                byName[t] = codeTypes[t].GetMethods(BindingFlags.Public | BindingFlags.Static).ToDictionary(m => m.Name, StringComparer.Ordinal);
            }
        }
        catch (Exception error) when (error is TypeLoadException or BadImageFormatException or InvalidProgramException)
        {
            throw new WasmImplementationLimitException("module", error);
        }
        MethodInfo Compiled(int definedIndex, string methodName) => byName[definedIndex / FunctionsPerType][methodName];

        var pointers = new nint[defined];
        for (int i = 0; i < defined; i++) pointers[i] = Compiled(i, methodNames[i]).MethodHandle.GetFunctionPointer();
        var entries = exported.ToDictionary(i => i, i => Compiled(i, HostEntryEmitter.EntryName(methodNames[i])));
        var compiled = new CompiledModule(codeTypes, pointers, typeIds, entries, collectible);
        MachineCodePreparation.Begin(engine, compiled, module, methodNames,
            (i, methodName) => byName[i / FunctionsPerType].GetValueOrDefault(methodName),
            methodName => regionMethods.GetValueOrDefault(methodName) ?? []);
        return compiled;
    }

    private static string SanitizeName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(64).ToArray();
        return chars.Length == 0 ? "module" : new string(chars);
    }
}
