using System.Reflection;
using System.Reflection.Emit;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>Calls a function of the WebAssembly calling convention with boxed values.</summary>
internal delegate void UntypedInvoker(nint code, InstanceContext context, object?[] arguments, object?[] results);

/// <summary>
/// The glue for one function type: an invoker that calls compiled code with boxed values, and a
/// host stub, in the WebAssembly calling convention, that forwards to a host callback.
/// </summary>
internal sealed class SignatureThunks
{
    private SignatureThunks(Type type, UntypedInvoker invoke, nint hostStub)
    {
        Type = type;
        Invoke = invoke;
        HostStub = hostStub;
    }

    /// <summary>Keeps the collectible assembly alive.</summary>
    public Type Type { get; }

    public UntypedInvoker Invoke { get; }

    /// <summary>Entry point of the host stub.</summary>
    public nint HostStub { get; }

    public static SignatureThunks Create(FunctionType signature)
    {
        var module = DynamicAssemblies.Define("WasmKit.Thunks");
        var typeBuilder = module.DefineType("Thunks", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        EmitInvoker(typeBuilder, signature);
        EmitHostStub(typeBuilder, signature);
        var type = typeBuilder.CreateType();
        var invoke = type.GetMethod("Invoke")!.CreateDelegate<UntypedInvoker>();
        var stub = type.GetMethod("HostStub")!.MethodHandle.GetFunctionPointer();
        return new SignatureThunks(type, invoke, stub);
    }

    private static void EmitInvoker(TypeBuilder typeBuilder, FunctionType signature)
    {
        var method = typeBuilder.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.Static, typeof(void),
            [typeof(nint), typeof(InstanceContext), typeof(object[]), typeof(object[])]);
        var il = method.GetILGenerator();
        var results = signature.Results.Select(r => il.DeclareLocal(ValueConversion.ClrType(r))).ToArray();
        for (int i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            var clr = ValueConversion.ClrType(signature.Parameters[i]);
            if (clr.IsValueType) il.Emit(OpCodes.Unbox_Any, clr);
        }
        il.Emit(OpCodes.Ldarg_1);
        for (int r = 1; r < results.Length; r++) il.Emit(OpCodes.Ldloca, results[r]);
        il.Emit(OpCodes.Ldarg_0);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, CallingConvention.ReturnType(signature), CallingConvention.ParameterTypes(signature), null);
        if (results.Length > 0) il.Emit(OpCodes.Stloc, results[0]);
        for (int r = 0; r < results.Length; r++)
        {
            il.Emit(OpCodes.Ldarg_3);
            il.Emit(OpCodes.Ldc_I4, r);
            il.Emit(OpCodes.Ldloc, results[r]);
            if (results[r].LocalType.IsValueType) il.Emit(OpCodes.Box, results[r].LocalType);
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Ret);
    }

    private static void EmitHostStub(TypeBuilder typeBuilder, FunctionType signature)
    {
        var parameterTypes = CallingConvention.ParameterTypes(signature);
        var method = typeBuilder.DefineMethod("HostStub", MethodAttributes.Public | MethodAttributes.Static,
            CallingConvention.ReturnType(signature), parameterTypes);
        var il = method.GetILGenerator();
        var args = il.DeclareLocal(typeof(object[]));
        var results = il.DeclareLocal(typeof(object[]));
        il.Emit(OpCodes.Ldc_I4, signature.Parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        il.Emit(OpCodes.Stloc, args);
        for (int i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, args);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i);
            if (parameterTypes[i].IsValueType) il.Emit(OpCodes.Box, parameterTypes[i]);
            il.Emit(OpCodes.Stelem_Ref);
        }
        int contextIndex = CallingConvention.ContextIndex(signature);
        il.Emit(OpCodes.Ldarg, contextIndex);
        il.Emit(OpCodes.Ldloc, args);
        il.Emit(OpCodes.Call, typeof(HostCalls).GetMethod(nameof(HostCalls.Invoke))!);
        il.Emit(OpCodes.Stloc, results);
        for (int r = 1; r < signature.Results.Length; r++)
        {
            var clr = ValueConversion.ClrType(signature.Results[r]);
            il.Emit(OpCodes.Ldarg, contextIndex + r);
            il.Emit(OpCodes.Ldloc, results);
            il.Emit(OpCodes.Ldc_I4, r);
            il.Emit(OpCodes.Ldelem_Ref);
            if (clr.IsValueType) il.Emit(OpCodes.Unbox_Any, clr);
            il.Emit(OpCodes.Stobj, clr);
        }
        if (signature.Results.Length > 0)
        {
            var clr = ValueConversion.ClrType(signature.Results[0]);
            il.Emit(OpCodes.Ldloc, results);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldelem_Ref);
            if (clr.IsValueType) il.Emit(OpCodes.Unbox_Any, clr);
        }
        il.Emit(OpCodes.Ret);
    }
}
