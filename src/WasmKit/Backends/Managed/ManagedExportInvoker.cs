using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WasmKit.Runtime;

namespace WasmKit.Backends.Managed;

/// <summary>
/// Calls an export of a managed module with raw 64-bit slots. When the export is a function the module
/// defines, with at most one result, a small generated method calls its compiled entry (the one a typed
/// delegate would bind to: stack guard, trap marking) with the instance's context, so a call neither boxes
/// nor allocates nor goes through a per-instance delegate; compiled code is shared by the module's
/// instances, so one invoker serves them all. Other exports (several results, a re-exported import) take
/// the boxed <see cref="Function.Invoke(ReadOnlySpan{object?}, Span{object?})"/> path.
/// </summary>
internal sealed class ManagedExportInvoker : ExportInvoker
{
    private delegate ulong DirectCall(nint entry, InstanceContext context, ref ulong arguments);

    private readonly ManagedBackendModule _module;
    private readonly DirectCall? _direct;
    private readonly nint _entry;
    private readonly int _parameterCount;

    private ManagedExportInvoker(ManagedBackendModule module, string name, FunctionType type, DirectCall? direct, nint entry)
        : base(name, type)
    {
        _module = module;
        _direct = direct;
        _entry = entry;
        _parameterCount = type.Parameters.Length;
    }

    /// <summary>An invoker of a function export; null when there is no function export of that name.</summary>
    public static ManagedExportInvoker? TryCreate(ManagedBackendModule module, string export)
    {
        var definition = module.Module.Definition;
        var exported = definition.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == export);
        if (exported is null) return null;
        var type = (FunctionType)module.Module.Exports.First(e => e.Name == export).Type;
        int defined = (int)exported.Index - definition.ImportedFunctionCount;
        bool direct = type.Results.Length <= 1 && type.Parameters.Concat(type.Results).All(IsNumber);
        if (!direct || defined < 0 || !module.Module.Compiled.HostEntries.TryGetValue(defined, out var entry))
            return new ManagedExportInvoker(module, export, type, null, 0);
        // The module keeps its code alive, and whoever holds this invoker keeps the module.
        return new ManagedExportInvoker(module, export, type, EmitDirectCall(type, entry), entry.MethodHandle.GetFunctionPointer());
    }

    /// <inheritdoc />
    public override ulong Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments)
    {
        // The hot case without a throw in sight, so that the call stays small: one type check, two compares, the call.
        if (_direct is not null && instance is ManagedBackendInstance managed && ReferenceEquals(managed.ManagedModule, _module) && arguments.Length == _parameterCount)
            return _direct(_entry, managed.Context, ref MemoryMarshal.GetReference(arguments));
        return InvokeChecked(instance, arguments);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong InvokeChecked(IBackendInstance instance, ReadOnlySpan<ulong> arguments)
    {
        var managed = Check(instance, arguments.Length);
        if (_direct is not null) return _direct(_entry, managed.Context, ref MemoryMarshal.GetReference(arguments));
        if (Type.Results.Length > 1)
            throw new ArgumentException($"Export '{Name}' has {Type.Results.Length} results: call the overload that takes a results span.", nameof(instance));
        Span<ulong> result = stackalloc ulong[1];
        InvokeBoxed(managed, arguments, result[..Type.Results.Length]);
        return result[0];
    }

    /// <inheritdoc />
    public override void Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        var managed = Check(instance, arguments.Length);
        if (results.Length != Type.Results.Length)
            throw new ArgumentException($"Export '{Name}' has {Type.Results.Length} results, not {results.Length}.", nameof(results));
        if (_direct is not null)
        {
            ulong bits = _direct(_entry, managed.Context, ref MemoryMarshal.GetReference(arguments));
            if (results.Length == 1) results[0] = bits;
            return;
        }
        InvokeBoxed(managed, arguments, results);
    }

    private ManagedBackendInstance Check(IBackendInstance instance, int argumentCount)
    {
        if (instance is not ManagedBackendInstance managed || !ReferenceEquals(managed.ManagedModule, _module))
            throw new ArgumentException($"The instance is not an instance of {_module}.", nameof(instance));
        if (argumentCount != _parameterCount)
            throw new ArgumentException($"Export '{Name}' takes {_parameterCount} arguments, not {argumentCount}.", nameof(instance));
        return managed;
    }

    private void InvokeBoxed(ManagedBackendInstance instance, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        if (!Type.Parameters.Concat(Type.Results).All(IsNumber))
            throw new NotSupportedException($"Export '{Name}' has type {Type}: only numbers fit the seam's 64-bit slots.");
        var function = instance.Instance.GetFunction(Name) ?? throw new InvalidOperationException($"Export '{Name}' is missing.");
        var boxed = new object?[arguments.Length];
        for (int i = 0; i < boxed.Length; i++) boxed[i] = Box(arguments[i], Type.Parameters[i]);
        var values = new object?[results.Length];
        function.Invoke(boxed, values);
        for (int i = 0; i < values.Length; i++) results[i] = Unbox(values[i]);
    }

    private static bool IsNumber(ValueKind kind) => kind is ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64;

    /// <summary><c>ulong Call(nint entry, InstanceContext context, ref ulong arguments)</c>: unpack, calli, pack.</summary>
    private static DirectCall EmitDirectCall(FunctionType signature, MethodInfo entry)
    {
        // Closed over a dummy first argument: a closed delegate calls without the shuffle an open static one needs.
        var method = new DynamicMethod("export " + entry.Name, typeof(ulong),
            [typeof(object), typeof(nint), typeof(InstanceContext), typeof(ulong).MakeByRefType()], typeof(ManagedExportInvoker).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_2);
        for (int i = 0; i < signature.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_3);
            if (i > 0)
            {
                il.Emit(OpCodes.Ldc_I4, i * sizeof(ulong));
                il.Emit(OpCodes.Add);
            }
            il.Emit(OpCodes.Ldind_I8);
            EmitFromBits(il, signature.Parameters[i]);
        }
        il.Emit(OpCodes.Ldarg_1);
        var returnType = signature.Results.Length == 0 ? typeof(void) : ValueConversion.ClrType(signature.Results[0]);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, returnType, [typeof(InstanceContext), .. signature.Parameters.Select(ValueConversion.ClrType)], null);
        if (signature.Results.Length == 0) il.Emit(OpCodes.Ldc_I8, 0L);
        else EmitToBits(il, signature.Results[0]);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<DirectCall>(signature);
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
            default:
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.Int64BitsToDouble))!);
                break;
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
            default:
                il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits))!);
                break;
        }
    }

    /// <summary>Boxes a raw slot for the engine's untyped call path.</summary>
    internal static object Box(ulong bits, ValueKind kind) => kind switch
    {
        // Each arm boxes its own type (without the casts the arms would share the type double).
        ValueKind.Int32 => (object)(int)bits,
        ValueKind.Int64 => (object)(long)bits,
        ValueKind.Float32 => (object)BitConverter.Int32BitsToSingle((int)bits),
        ValueKind.Float64 => (object)BitConverter.Int64BitsToDouble((long)bits),
        _ => throw new NotSupportedException($"{kind} values do not fit a 64-bit slot."),
    };

    /// <summary>The raw bits of a boxed WebAssembly value.</summary>
    internal static ulong Unbox(object? value) => value switch
    {
        int v => (uint)v,
        long v => (ulong)v,
        float v => (uint)BitConverter.SingleToInt32Bits(v),
        double v => (ulong)BitConverter.DoubleToInt64Bits(v),
        _ => throw new NotSupportedException($"The value {value?.GetType().Name ?? "null"} does not fit a 64-bit slot."),
    };
}
