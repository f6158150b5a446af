using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// A function with very many locals gets a frame so large that its prologue could step over the
/// stack's guard page before its own stack check runs. Such functions are entered through a small
/// method that first makes sure the whole frame fits, then calls the real body.
/// </summary>
internal static class LargeFrameGuard
{
    /// <summary>Frames estimated above this get the guarded entry; smaller ones fit in the stack guard's margin.</summary>
    public const int Threshold = 8 * 1024;

    /// <summary>A generous estimate of the JIT's frame: every local and parameter may take a 16-byte slot, plus spills.</summary>
    public static int EstimateFrameSize(FunctionType type, FunctionBody body) =>
        16 * (type.Parameters.Length + body.Locals.Length) + 1024;

    public static void EmitEntry(MethodBuilder entry, MethodBuilder body, FunctionType type, int frameEstimate)
    {
        var il = entry.GetILGenerator();
        int contextIndex = CallingConvention.ContextIndex(type);
        var probe = il.DeclareLocal(typeof(int));
        var fits = il.DefineLabel();
        il.Emit(OpCodes.Ldloca, probe);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldc_I4, frameEstimate);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldarg, contextIndex);
        il.Emit(OpCodes.Ldfld, Members.ContextGuard);
        il.Emit(OpCodes.Ldfld, Members.GuardLimit);
        il.Emit(OpCodes.Bge_Un, fits);
        il.Emit(OpCodes.Ldc_I4, frameEstimate);
        il.Emit(OpCodes.Call, Members.Method(typeof(StackGuard), nameof(StackGuard.CheckFrame)));
        il.MarkLabel(fits);
        int argumentCount = CallingConvention.ParameterTypes(type).Length;
        for (int i = 0; i < argumentCount; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Call, body);
        il.Emit(OpCodes.Ret);
    }
}
