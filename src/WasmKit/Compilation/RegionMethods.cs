using System.Reflection;
using System.Reflection.Emit;

namespace WasmKit.Compilation;

/// <summary>
/// Defines the region methods of a module's split functions (see <see cref="RegionPlan"/>) in types of
/// their own, a new one every <see cref="MethodsPerType"/> methods, since how many a body becomes is
/// known only once it is compiled and a type holds at most 65,535 methods.
/// </summary>
internal sealed class RegionMethods(ModuleBuilder module, string typePrefix)
{
    public const int MethodsPerType = 50_000;

    private readonly List<TypeBuilder> _types = [];
    private int _methodsInCurrentType;
    private int _count;

    /// <summary>
    /// A new region method of the function whose method is named <paramref name="owner"/>. Its parameters
    /// are known once its body is compiled: <see cref="Complete"/> sets them, before anything asks for its
    /// metadata token (which fixes the signature).
    /// </summary>
    public MethodBuilder Define(string owner)
    {
        if (_types.Count == 0 || _methodsInCurrentType == MethodsPerType)
        {
            _types.Add(module.DefineType($"{typePrefix}WasmRegions{_types.Count}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract));
            _methodsInCurrentType = 0;
        }
        _methodsInCurrentType++;
        // The name must not start like a function's (see TrapBacktrace): a trap's backtrace lists the function once.
        return _types[^1].DefineMethod($"region {++_count} of {owner}", MethodAttributes.Public | MethodAttributes.Static, typeof(int), Type.EmptyTypes);
    }

    /// <summary>Gives the compiled region method its parameters; it is never inlined, which is its point.</summary>
    public static void Complete(MethodBuilder method, Type[] parameterTypes)
    {
        method.SetParameters(parameterTypes);
        method.SetImplementationFlags(MethodImplAttributes.NoInlining);
    }

    public void CreateTypes()
    {
        foreach (var type in _types) type.CreateType();
    }

    /// <summary>
    /// A generous guess of how many region methods a module will need, for sharing tiered code
    /// assemblies (<see cref="Engine.NextTieredCodeTarget"/>): one per minimum region of every body that will be split.
    /// </summary>
    public static int EstimateCount(WasmKit.BinaryFormat.ModuleDefinition module, OutliningOptions options)
    {
        long estimate = 0;
        foreach (var body in module.Bodies)
        {
            int size = body.CodeEnd - body.CodeStart;
            if (size > options.ThresholdBytes) estimate += size / Math.Max(1, options.MinimumRegionBytes) + 1;
        }
        return (int)Math.Min(estimate, int.MaxValue / 4);
    }
}
