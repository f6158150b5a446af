namespace WasmKit.Validation;

/// <summary>The validation error texts, worded as the specification's reference interpreter words them.</summary>
internal static class ValidationMessages
{
    public const string TypeMismatch = "type mismatch";
    public const string ConstantExpressionRequired = "constant expression required";
    public const string UnknownFunction = "unknown function";
    public const string UnknownTable = "unknown table";
    public const string UnknownMemory = "unknown memory";
    public const string UnknownGlobal = "unknown global";
    public const string UnknownLocal = "unknown local";
    public const string UnknownLabel = "unknown label";
    public const string UnknownType = "unknown type";
    public const string UnknownElementSegment = "unknown elem segment";
    public const string UnknownDataSegment = "unknown data segment";
    public const string DataCountRequired = "data count section required";
    public const string GlobalIsImmutable = "global is immutable";
    public const string AlignmentTooLarge = "alignment must not be larger than natural";
    public const string InvalidResultArity = "invalid result arity";
    public const string UndeclaredFunctionReference = "undeclared function reference";
    public const string MultipleMemories = "multiple memories";
    public const string LimitsMinimumAboveMaximum = "size minimum must not be greater than maximum";
    public const string MemoryTooLarge = "memory size must be at most 65536 pages (4GiB)";
    public const string StartFunction = "start function";
    public const string DuplicateExportName = "duplicate export name";
    public const string SimdNotSupported = "SIMD is not supported yet";
}
