using System.Reflection;
using System.Reflection.Emit;

namespace WasmKit.Compilation;

/// <summary>
/// Defines the region methods of a module's split functions (see <see cref="RegionPlan"/>) in types of
/// their own, a new one every <see cref="MethodsPerType"/> methods, since how many a body becomes is
/// known only once it is compiled and a type holds at most 65,535 methods.
/// </summary>
/// <remarks>
/// A region method's parameters are known only once its body is compiled, and Reflection.Emit fixes a
/// method's signature when it gives it a token, which it does for all the methods of a type in the order
/// they were defined. Regions nested in a region being compiled are completed (and called) first, so
/// each nesting depth gets types of its own: a type never holds a method still being compiled before
/// one that is asked for its token.
/// </remarks>
internal sealed class RegionMethods(ModuleBuilder module, string typePrefix)
{
    public const int MethodsPerType = 50_000;

    private readonly List<TypeBuilder> _types = [];
    /// <summary>Per nesting depth: the type new region methods go to and how many it holds.</summary>
    private readonly List<(TypeBuilder Type, int Methods)> _current = [];
    private int _count;

    /// <summary>
    /// A new region method of the function whose method is named <paramref name="owner"/>. Its parameters
    /// are known once its body is compiled: <see cref="Complete"/> sets them, before anything asks for its
    /// metadata token (which fixes the signature).
    /// </summary>
    public MethodBuilder Define(string owner, int depth)
    {
        if (depth == _current.Count) _current.Add((NewType(), 0));
        var (type, methods) = _current[depth];
        if (methods == MethodsPerType) (type, methods) = (NewType(), 0);
        _current[depth] = (type, methods + 1);
        // The name must not start like a function's (see TrapBacktrace): a trap's backtrace lists the function once.
        return type.DefineMethod($"region {++_count}{OwnerSeparator}{owner}", MethodAttributes.Public | MethodAttributes.Static, typeof(int), Type.EmptyTypes);
    }

    /// <summary>Gives the compiled region method its parameters; it is never inlined, which is its point.</summary>
    public static void Complete(MethodBuilder method, Type[] parameterTypes)
    {
        method.SetParameters(parameterTypes);
        method.SetImplementationFlags(MethodImplAttributes.NoInlining);
    }

    private TypeBuilder NewType()
    {
        var type = module.DefineType($"{typePrefix}WasmRegions{_types.Count}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        _types.Add(type);
        return type;
    }

    /// <summary>Creates the region types; returns the region methods of each function, by the name of the function's method.</summary>
    public Dictionary<string, List<MethodInfo>> CreateTypes()
    {
        var byOwner = new Dictionary<string, List<MethodInfo>>(StringComparer.Ordinal);
        foreach (var type in _types)
        {
            foreach (var method in type.CreateType()!.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                string owner = method.Name[(method.Name.IndexOf(OwnerSeparator, StringComparison.Ordinal) + OwnerSeparator.Length)..];
                if (!byOwner.TryGetValue(owner, out var list)) byOwner[owner] = list = [];
                list.Add(method);
            }
        }
        return byOwner;
    }

    /// <summary>Between a region method's number and its function's method name.</summary>
    private const string OwnerSeparator = " of ";

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
            if (size > options.SplitBodyBytes) estimate += size / Math.Max(1, options.MinimumRegionBytes) + 1;
        }
        return (int)Math.Min(estimate, int.MaxValue / 4);
    }
}
