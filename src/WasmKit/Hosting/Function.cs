using WasmKit.Compilation;
using WasmKit.Runtime;

namespace WasmKit;

/// <summary>
/// A WebAssembly function: exported by an instance, or defined by the host. Also the value of a
/// funcref. Calls through <see cref="Invoke(object?[])"/> box their values; they are for tools,
/// tests and cold paths.
/// </summary>
public sealed class Function
{
    // Read by compiled code: a call is `calli Code` with Context as the context argument.
    internal readonly nint Code;
    internal readonly InstanceContext Context;
    internal readonly int TypeId;

    private readonly SignatureThunks _thunks;

    internal Function(Store store, FunctionType type, int typeId, nint code, InstanceContext context, string? name, HostFunctionCallback? callback)
    {
        Store = store;
        Type = type;
        TypeId = typeId;
        Code = code;
        Context = context;
        Name = name;
        Callback = callback;
        _thunks = store.Engine.GetThunks(type, typeId);
    }

    /// <summary>The store the function belongs to.</summary>
    public Store Store { get; }

    /// <summary>The function's signature.</summary>
    public FunctionType Type { get; }

    /// <summary>The function's name (from the name section or the host), if known.</summary>
    public string? Name { get; }

    /// <summary>Whether the host defined this function.</summary>
    public bool IsHostFunction => Context.HostFunction is not null;

    internal HostFunctionCallback? Callback { get; }

    /// <summary>Creates a host function that WebAssembly can import or hold in a table.</summary>
    /// <param name="store">The store the function belongs to.</param>
    /// <param name="type">The function's signature.</param>
    /// <param name="callback">The code to run; it receives boxed arguments and writes boxed results.</param>
    /// <param name="name">A name for backtraces and errors.</param>
    /// <returns>The function.</returns>
    public static Function FromCallback(Store store, FunctionType type, HostFunctionCallback callback, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            if (kind == ValueKind.V128) throw new ArgumentException("v128 values are not supported yet.", nameof(type));
        }
        int typeId = store.Engine.InternType(type);
        var thunks = store.Engine.GetThunks(type, typeId);
        var context = new InstanceContext(store);
        var function = new Function(store, type, typeId, thunks.HostStub, context, name, callback);
        context.HostFunction = function;
        return function;
    }

    /// <summary>
    /// A host function whose stub (in the WebAssembly calling convention) calls a typed delegate, or,
    /// without a delegate, is the host code itself.
    /// </summary>
    internal static Function FromTypedStub(Store store, FunctionType type, Delegate? callback, nint stub, string name)
    {
        int typeId = store.Engine.InternType(type);
        var context = new InstanceContext(store) { HostDelegate = callback };
        var function = new Function(store, type, typeId, stub, context, name, null);
        context.HostFunction = function;
        return function;
    }

    /// <summary>
    /// What a direct call from <paramref name="caller"/>'s code to this imported function calls: a host
    /// function gets a copy that knows its caller; any other function is called as it is.
    /// </summary>
    internal Function BindForImport(InstanceContext caller) =>
        IsHostFunction ? new Function(Store, Type, TypeId, Code, Context.BindCaller(caller), Name, Callback) : this;

    /// <summary>Calls the function with boxed arguments.</summary>
    /// <param name="arguments">One value per parameter, of the .NET type of its kind.</param>
    /// <returns><see langword="null"/> for no result, the value for one, an <c>object?[]</c> for several.</returns>
    /// <exception cref="ArgumentException">The arguments do not match the parameters.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public object? Invoke(params object?[] arguments)
    {
        var results = new object?[Type.Results.Length];
        Invoke(arguments, results);
        return results.Length switch
        {
            0 => null,
            1 => results[0],
            _ => results,
        };
    }

    /// <summary>Calls the function with boxed arguments, writing its results into <paramref name="results"/>.</summary>
    /// <param name="arguments">One value per parameter, of the .NET type of its kind.</param>
    /// <param name="results">Receives one value per result.</param>
    /// <exception cref="ArgumentException">The arguments or the results span do not match the signature.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public void Invoke(ReadOnlySpan<object?> arguments, Span<object?> results)
    {
        if (arguments.Length != Type.Parameters.Length)
            throw new ArgumentException($"{Describe()} takes {Type.Parameters.Length} arguments, not {arguments.Length}.", nameof(arguments));
        if (results.Length < Type.Results.Length)
            throw new ArgumentException($"{Describe()} returns {Type.Results.Length} results; the span holds {results.Length}.", nameof(results));
        var args = arguments.ToArray();
        for (int i = 0; i < args.Length; i++)
        {
            if (!ValueConversion.Matches(Type.Parameters[i], args[i]))
                throw new ArgumentException(
                    $"Argument {i} of {Describe()} must be {Type.Parameters[i].ToWasmName()} ({ValueConversion.ClrTypeName(Type.Parameters[i])}), not {args[i]?.GetType().Name ?? "null"}.",
                    nameof(arguments));
        }
        var output = new object?[Type.Results.Length];
        var state = Store.State;
        state.Enter();
        try
        {
            if (IsHostFunction) state.Caller = null;
            _thunks.Invoke(Code, Context, args, output);
        }
        catch (Exception error)
        {
            InstanceContext.HandleGuestException(error, Context);
            throw;
        }
        output.CopyTo(results);
    }

    /// <inheritdoc />
    public override string ToString() => Name ?? $"function {Type}";

    private string Describe() => Name is null ? "The function" : $"Function '{Name}'";
}
