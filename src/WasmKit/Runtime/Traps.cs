using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>Creates trap exceptions for compiled code, which then throws them: keeping the throw in the caller keeps trap paths out of inlined fast paths.</summary>
internal static class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WasmTrapException Create(TrapCode code) => new(code);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WasmTrapException Create(TrapCode code, string message) => new(code, message);
}
