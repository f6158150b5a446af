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
