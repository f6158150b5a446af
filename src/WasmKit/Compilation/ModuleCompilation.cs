using System.Reflection;
using System.Reflection.Emit;
using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>What every function compiler of one module shares: the module, its methods and type ids.</summary>
internal sealed class ModuleCompilation(ModuleDefinition definition, MethodBuilder[] methods, int[] typeIds, EngineOptions options, RegionMethods regions)
{
    public ModuleDefinition Definition { get; } = definition;

    /// <summary>The methods of the module's own functions, in function-section order.</summary>
    public MethodBuilder[] Methods { get; } = methods;

    /// <summary>The engine's type id of each type-section entry.</summary>
    public int[] TypeIds { get; } = typeIds;

    /// <summary>Which optional checks (fuel, interruption) the code carries.</summary>
    public EngineOptions Options { get; } = options;

    /// <summary>Where the region methods of split function bodies go.</summary>
    public RegionMethods Regions { get; } = regions;

    private readonly Dictionary<(Type, string), MethodInfo> _helpers = [];

    /// <summary>A runtime helper by name, looked up once per module rather than once per instruction.</summary>
    public MethodInfo Helper(Type type, string name)
    {
        if (!_helpers.TryGetValue((type, name), out var method))
            _helpers[(type, name)] = method = Members.Method(type, name);
        return method;
    }
}
