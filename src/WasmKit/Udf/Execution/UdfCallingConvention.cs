namespace WasmKit.Udf;

/// <summary>
/// How declared UDF types map to WebAssembly values: numbers one to one, bool as i32 (0/1),
/// a string parameter as two i32 values (pointer, UTF-8 byte length) and a string result as one i64 (pointer &lt;&lt; 32 | length).
/// </summary>
public static class UdfCallingConvention
{
    /// <summary>The guest export the host calls to get memory for string arguments: <c>wasmkit_alloc(i32 size) -> i32 pointer</c>.</summary>
    public const string AllocExport = "wasmkit_alloc";

    /// <summary>The WebAssembly signature a UDF export must have for its declared parameters and results.</summary>
    /// <param name="parameters">The declared parameter types.</param>
    /// <param name="returns">The declared result types.</param>
    /// <returns>The function type.</returns>
    public static FunctionType ToWasmSignature(IEnumerable<UdfType> parameters, IEnumerable<UdfType> returns)
    {
        var wasmParameters = new List<ValueKind>();
        foreach (var type in parameters)
        {
            if (type == UdfType.String)
            {
                wasmParameters.Add(ValueKind.Int32);
                wasmParameters.Add(ValueKind.Int32);
            }
            else
            {
                wasmParameters.Add(ToWasmKind(type));
            }
        }
        return new FunctionType(wasmParameters, returns.Select(t => t == UdfType.String ? ValueKind.Int64 : ToWasmKind(t)));
    }

    /// <summary>The signature of the allocation export: (i32) -> i32.</summary>
    public static FunctionType AllocSignature { get; } = FunctionType.Of([ValueKind.Int32], [ValueKind.Int32]);

    internal static ValueKind ToWasmKind(UdfType type) => type switch
    {
        UdfType.I32 or UdfType.Bool => ValueKind.Int32,
        UdfType.I64 or UdfType.String => ValueKind.Int64,
        UdfType.F32 => ValueKind.Float32,
        UdfType.F64 => ValueKind.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown UDF type."),
    };
}
