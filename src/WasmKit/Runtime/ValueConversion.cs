namespace WasmKit.Runtime;

/// <summary>Maps WebAssembly value kinds to the .NET types of boxed values.</summary>
internal static class ValueConversion
{
    public static bool Matches(ValueKind kind, object? value) => kind switch
    {
        ValueKind.Int32 => value is int,
        ValueKind.Int64 => value is long,
        ValueKind.Float32 => value is float,
        ValueKind.Float64 => value is double,
        ValueKind.FuncRef => value is null or Function,
        ValueKind.ExternRef => true,
        _ => false,
    };

    public static string ClrTypeName(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "int",
        ValueKind.Int64 => "long",
        ValueKind.Float32 => "float",
        ValueKind.Float64 => "double",
        ValueKind.FuncRef => "Function or null",
        ValueKind.ExternRef => "object or null",
        _ => kind.ToWasmName(),
    };

    /// <summary>The value kind a .NET type stands for in typed calls, or null if none.</summary>
    public static ValueKind? KindOf(Type type) =>
        type == typeof(int) ? ValueKind.Int32 :
        type == typeof(long) ? ValueKind.Int64 :
        type == typeof(float) ? ValueKind.Float32 :
        type == typeof(double) ? ValueKind.Float64 :
        type == typeof(Function) ? ValueKind.FuncRef :
        type == typeof(object) ? ValueKind.ExternRef :
        null;

    public static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => typeof(int),
        ValueKind.Int64 => typeof(long),
        ValueKind.Float32 => typeof(float),
        ValueKind.Float64 => typeof(double),
        ValueKind.FuncRef or ValueKind.ExternRef => typeof(object),
        _ => throw new NotSupportedException($"{kind.ToWasmName()} values are not supported yet."),
    };
}
