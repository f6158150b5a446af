using System.Reflection;
using WasmKit.Backends;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Host functions bound as Wasmtime's typed callbacks (about ten times cheaper per call than its untyped
/// callbacks, which box every value): one generic class per arity (Generated/TypedHostFunctions.g.cs), closed over the signature's CLR types
/// once per linker (<see cref="TryDefine"/>); a call packs the arguments into slots on the stack and
/// calls the definition's general body. No allocation per call.
/// </summary>
internal static partial class TypedHostFunctions
{
    /// <summary>The most parameters a typed binding takes, with or without a result.</summary>
    public const int MaximumParameters = 8;

    /// <summary>Defines <paramref name="definition"/>'s synchronous body as a typed callback; false when its signature has no typed binding.</summary>
    public static bool TryDefine(Wt.Linker linker, HostFunctionDefinition definition, HostFunctionImplementation body)
    {
        if (ClosedType(definition) is not { } closed) return false;
        var define = closed.GetMethod("Define", BindingFlags.Public | BindingFlags.Static)!
            .CreateDelegate<Action<Wt.Linker, string, string, HostFunctionImplementation>>();
        define(linker, definition.ModuleName, definition.Name, body);
        return true;
    }

    /// <summary>
    /// Defines a synchronous body as a typed callback bound to one instance (for its own linker): it takes no
    /// <see cref="Wt.Caller"/>, whose making costs two native calls per call. Null when the signature has no typed binding.
    /// </summary>
    public static InstanceDefiner? DefinerForInstance(HostFunctionDefinition definition) =>
        definition.Implementation is not null && ClosedType(definition) is { } closed
            ? closed.GetMethod("DefineFor", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<InstanceDefiner>()
            : null;

    /// <summary>Defines a host function body on a linker for one instance.</summary>
    public delegate void InstanceDefiner(Wt.Linker linker, string module, string name, HostFunctionImplementation body, WasmtimeInstance instance);

    // The generated class for the definition's arity closed over its CLR types; null when none fits.
    private static Type? ClosedType(HostFunctionDefinition definition)
    {
        var type = definition.Type;
        if (type.Parameters.Length > MaximumParameters || type.Results.Length > 1) return null;
        var clrTypes = new List<Type>();
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            var clr = WasmtimeTypedCall.ClrTypeOf(kind);
            if (clr is null) return null;
            clrTypes.Add(clr);
        }
        bool hasResult = type.Results.Length == 1;
        string name = (hasResult ? "Func" : "Action") + type.Parameters.Length + (clrTypes.Count > 0 ? "`" + clrTypes.Count : "");
        var definitionType = typeof(TypedHostFunctions).GetNestedType(name, BindingFlags.NonPublic)!;
        return clrTypes.Count > 0 ? definitionType.MakeGenericType([.. clrTypes]) : definitionType;
    }

    private static HostCallContext Context(Wt.Caller caller) =>
        (caller.GetData() as WasmtimeInstance
            ?? throw new InvalidOperationException("A WasmKit host function was called from a store the Wasmtime backend did not make.")).CallContext(caller);
}
