using System.Reflection;
using System.Reflection.Emit;
using WasmKit.Compilation;
using WasmKit.Runtime;

namespace WasmKit.Udf;

/// <summary>
/// Calls a UDF's export with arguments taken from raw 64-bit slots and returns its single result as raw
/// bits. A small generated method per UDF calls the export's compiled entry (the one a typed delegate
/// would bind to: stack guard, trap marking) with the instance's context, so a call neither boxes nor
/// allocates nor goes through a per-instance delegate. Compiled code is shared by a module's instances,
/// so one invoker serves them all.
/// </summary>
internal sealed class UdfInvoker
{
    private readonly Func<nint, InstanceContext, ulong[], ulong> _invoke;
    private readonly nint _entry;

    private UdfInvoker(Func<nint, InstanceContext, ulong[], ulong> invoke, nint entry)
    {
        _invoke = invoke;
        _entry = entry;
    }

    /// <summary>
    /// An invoker of <paramref name="export"/>, or <see langword="null"/> when it needs the untyped path
    /// (several results, or a function the module imports and re-exports, which has no compiled entry).
    /// </summary>
    public static UdfInvoker? TryCreate(Module module, string export, FunctionType signature)
    {
        if (signature.Results.Length > 1 || signature.Parameters.Concat(signature.Results).Any(k => k == ValueKind.V128)) return null;
        var definition = module.Definition;
        var exported = definition.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == export);
        int defined = exported is null ? -1 : (int)exported.Index - definition.ImportedFunctionCount;
        if (defined < 0 || !module.Compiled.HostEntries.TryGetValue(defined, out var entry)) return null;
        // The module keeps its code alive, and the registry keeps the module while the UDF is registered.
        return new UdfInvoker(EmitInvoke(signature, entry), entry.MethodHandle.GetFunctionPointer());
    }

    public ulong Invoke(Instance instance, ulong[] slots) => _invoke(_entry, instance.Context, slots);

    /// <summary><c>ulong Invoke(nint entry, InstanceContext context, ulong[] slots)</c>: unpack, calli, pack.</summary>
    private static Func<nint, InstanceContext, ulong[], ulong> EmitInvoke(FunctionType signature, MethodInfo entry)
    {
        // Closed over a dummy first argument: a closed delegate calls without the shuffle an open static one needs.
        var method = new DynamicMethod("udf invoke " + entry.Name, typeof(ulong),
            [typeof(object), typeof(nint), typeof(InstanceContext), typeof(ulong[])], typeof(UdfInvoker).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_2);
        for (int i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_3);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_I8);
            EmitFromBits(il, signature.Parameters[i]);
        }
        il.Emit(OpCodes.Ldarg_1);
        var returnType = signature.Results.Length == 0 ? typeof(void) : ClrType(signature.Results[0]);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, returnType, [typeof(InstanceContext), .. signature.Parameters.Select(ClrType)], null);
        if (signature.Results.Length == 0) il.Emit(OpCodes.Ldc_I8, 0L);
        else EmitToBits(il, signature.Results[0]);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<nint, InstanceContext, ulong[], ulong>>(signature);
    }

    private static void EmitFromBits(ILGenerator il, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Int32: il.Emit(OpCodes.Conv_I4); break;
            case ValueKind.Int64: break;
            case ValueKind.Float32:
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.Int32BitsToSingle))!);
                break;
            case ValueKind.Float64:
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.Int64BitsToDouble))!);
                break;
            default: throw new NotSupportedException($"{kind} values cannot be UDF arguments.");
        }
    }

    private static void EmitToBits(ILGenerator il, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Int32: il.Emit(OpCodes.Conv_U8); break;
            case ValueKind.Int64: break;
            case ValueKind.Float32:
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits))!);
                il.Emit(OpCodes.Conv_U8);
                break;
            case ValueKind.Float64:
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits))!);
                break;
            default: throw new NotSupportedException($"{kind} values cannot be UDF results.");
        }
    }

    internal static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => typeof(int),
        ValueKind.Int64 => typeof(long),
        ValueKind.Float32 => typeof(float),
        ValueKind.Float64 => typeof(double),
        _ => throw new NotSupportedException($"{kind} values cannot be UDF arguments."),
    };

    /// <summary>Boxes a raw slot for the untyped <see cref="Function.Invoke(object?[])"/> path.</summary>
    internal static object Box(ulong bits, ValueKind kind) => kind switch
    {
        // Each arm boxes its own type (without the casts the arms would share the type double).
        ValueKind.Int32 => (object)(int)bits,
        ValueKind.Int64 => (object)(long)bits,
        ValueKind.Float32 => (object)BitConverter.Int32BitsToSingle((int)bits),
        ValueKind.Float64 => (object)BitConverter.Int64BitsToDouble((long)bits),
        _ => throw new NotSupportedException(),
    };

    /// <summary>The raw bits of a boxed WebAssembly result.</summary>
    internal static ulong Unbox(object? value) => value switch
    {
        int v => (uint)v,
        long v => (ulong)v,
        float v => (uint)BitConverter.SingleToInt32Bits(v),
        double v => (ulong)BitConverter.DoubleToInt64Bits(v),
        _ => throw new InvalidOperationException($"Unexpected WebAssembly result {value?.GetType().Name ?? "null"}."),
    };
}
