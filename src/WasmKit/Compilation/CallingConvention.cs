using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// How a WebAssembly function looks as a .NET static method: its parameters, then the
/// <see cref="InstanceContext"/>, then one <c>ref</c> parameter for every result after the first;
/// it returns the first result (or void). Host stubs, thunks and compiled functions all share it,
/// so any of them can be called through a function pointer with <c>calli</c>.
/// </summary>
internal static class CallingConvention
{
    public static Type ReturnType(FunctionType type) =>
        type.Results.Length == 0 ? typeof(void) : ValueConversion.ClrType(type.Results[0]);

    public static Type[] ParameterTypes(FunctionType type)
    {
        var types = new Type[type.Parameters.Length + 1 + Math.Max(0, type.Results.Length - 1)];
        int n = 0;
        foreach (var p in type.Parameters) types[n++] = ValueConversion.ClrType(p);
        types[n++] = typeof(InstanceContext);
        for (int r = 1; r < type.Results.Length; r++) types[n++] = ValueConversion.ClrType(type.Results[r]).MakeByRefType();
        return types;
    }

    /// <summary>The argument index of the context parameter.</summary>
    public static int ContextIndex(FunctionType type) => type.Parameters.Length;
}
