using System.Reflection.Emit;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>
/// For each exported function with at most one result, an entry the host calls through a typed
/// delegate closed over the instance's context: <c>R Entry(InstanceContext, P...)</c>. It sets the
/// stack guard for the calling thread, calls the function directly (the JIT may inline it), and
/// marks the instance as trapped when a trap or a host function's exception passes through. So a typed call from C# is one
/// delegate call into generated code, with no wrapper object and no function-pointer hop.
/// </summary>
internal static class HostEntryEmitter
{
    public static string EntryName(string methodName) => methodName + " entry";

    public static bool CanEnter(FunctionType type) => type.Results.Length <= 1;

    public static void Emit(TypeBuilder typeBuilder, MethodBuilder target, string methodName, FunctionType type)
    {
        var parameters = CallingConvention.ParameterTypes(type);
        var returnType = CallingConvention.ReturnType(type);
        var entry = typeBuilder.DefineMethod(EntryName(methodName), System.Reflection.MethodAttributes.Public | System.Reflection.MethodAttributes.Static,
            returnType, [typeof(InstanceContext), .. parameters[..type.Parameters.Length]]);
        var il = entry.GetILGenerator();
        var result = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, Members.ContextState);
        il.Emit(OpCodes.Call, Members.StateEnter);
        il.BeginExceptionBlock();
        for (int i = 0; i < type.Parameters.Length; i++) il.Emit(OpCodes.Ldarg, i + 1);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, target);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        // Any exception, not only a trap: a host function's exception leaves the guest half way too.
        il.BeginCatchBlock(typeof(Exception));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, Members.HandleGuestException);
        il.Emit(OpCodes.Rethrow);
        il.EndExceptionBlock();
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
    }
}
