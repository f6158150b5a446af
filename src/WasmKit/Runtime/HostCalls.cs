namespace WasmKit.Runtime;

/// <summary>Runs host callbacks for the host stubs and checks what they return.</summary>
internal static class HostCalls
{
    /// <summary>Calls the host function of <paramref name="context"/>. Exceptions from the callback propagate unchanged to the guest's caller; a result of the wrong type is a <see cref="TrapCode.HostError"/> trap.</summary>
    public static object?[] Invoke(InstanceContext context, object?[] arguments)
    {
        var function = context.HostFunction!;
        var type = function.Type;
        var results = new object?[type.Results.Length];
        function.Callback!(new Caller(context.CallingContext, function.Store), arguments, results);
        for (int i = 0; i < results.Length; i++)
        {
            if (!ValueConversion.Matches(type.Results[i], results[i]))
                throw new WasmTrapException(TrapCode.HostError,
                    $"Host function '{function.Name ?? "?"}' returned {results[i]?.GetType().Name ?? "null"} as result {i}; its type needs {type.Results[i].ToWasmName()} ({ValueConversion.ClrTypeName(type.Results[i])}).");
        }
        return results;
    }
}
