namespace WasmKit.Reducers;

/// <summary>
/// The guest side of the reducer contract: the exports every reducer module has, their types, and the status
/// codes they return. fixtures/reducers/README.md documents it for guest authors.
/// </summary>
internal static class ReducerAbi
{
    /// <summary>The memory export the host reads and writes.</summary>
    public const string MemoryExport = "memory";

    /// <summary><c>reducer_input(size) -> pointer</c>: a buffer of at least size bytes for the next call's inputs; 0 when impossible. It stays the host's until the next reducer_input, so later inputs that fit reuse it without a call.</summary>
    public const string InputExport = "reducer_input";

    /// <summary><c>reducer_load(format, pointer, length) -> status</c>: replaces the state kept in guest memory.</summary>
    public const string LoadExport = "reducer_load";

    /// <summary><c>reducer_apply(format, data, data_length, commands, commands_length) -> (effects &lt;&lt; 32) | length, or a negative status</c>.</summary>
    public const string ApplyExport = "reducer_apply";

    /// <summary><c>reducer_save(format) -> (state &lt;&lt; 32) | length, or a negative status</c>.</summary>
    public const string SaveExport = "reducer_save";

    /// <summary>The guest found its input malformed (and changed nothing).</summary>
    public const int StatusMalformed = -1;

    /// <summary>The guest does not speak the requested <see cref="ReducerFormat"/>.</summary>
    public const int StatusUnsupportedFormat = -2;

    private static readonly ValueKind I32 = ValueKind.Int32;
    private static readonly ValueKind I64 = ValueKind.Int64;

    /// <summary>Every function export with its exact type.</summary>
    public static IReadOnlyList<(string Name, FunctionType Type)> Functions { get; } =
    [
        (InputExport, FunctionType.Of([I32], [I32])),
        (LoadExport, FunctionType.Of([I32, I32, I32], [I32])),
        (ApplyExport, FunctionType.Of([I32, I32, I32, I32, I32], [I64])),
        (SaveExport, FunctionType.Of([I32], [I64])),
    ];

    /// <summary>A status code in words.</summary>
    public static string DescribeStatus(long status) => status switch
    {
        StatusMalformed => "malformed input",
        StatusUnsupportedFormat => "unsupported format",
        _ => "an unknown error status",
    };
}
