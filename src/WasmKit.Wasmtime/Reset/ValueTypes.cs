namespace WasmKit.Wasmtime.Reset;

/// <summary>The value type codes the reset instrumentation handles: numbers, v128 and the two nullable reference types.</summary>
internal static class ValueTypes
{
    public const byte I32 = 0x7F;
    public const byte I64 = 0x7E;
    public const byte F32 = 0x7D;
    public const byte F64 = 0x7C;
    public const byte V128 = 0x7B;
    public const byte FuncRef = 0x70;
    public const byte ExternRef = 0x6F;

    public static bool IsSimple(byte type) => type is I32 or I64 or F32 or F64 or V128 or FuncRef or ExternRef;
}
