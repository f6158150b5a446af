using WasmKit.Backends;

namespace WasmKit.Wasmtime;

/// <summary>
/// Calls an export of a <see cref="WasmtimeModule"/> on any of its instances: each instance binds the export
/// once as a typed Wasmtime function (<see cref="WasmtimeTypedCall"/>), so a call neither boxes nor allocates.
/// </summary>
internal sealed class WasmtimeExportInvoker : ExportInvoker
{
    private readonly WasmtimeModule _module;
    private readonly Func<global::Wasmtime.Instance, string, WasmtimeTypedCall?>? _factory;

    public WasmtimeExportInvoker(WasmtimeModule module, string name, FunctionType type, int ordinal)
        : base(name, type)
    {
        _module = module;
        Ordinal = ordinal;
        _factory = WasmtimeTypedCall.FactoryFor(type);
    }

    /// <summary>This invoker's slot in each instance's table of bound calls.</summary>
    public int Ordinal { get; }

    /// <summary>Binds the export on a Wasmtime instance: typed when the signature allows, else untyped.</summary>
    public WasmtimeTypedCall Bind(global::Wasmtime.Instance instance) =>
        (_factory is null ? UntypedCall.Bind(instance, Name, Type) : _factory(instance, Name))
            ?? throw new InvalidOperationException($"Module '{_module.Name}' has no function export '{Name}'.");

    /// <inheritdoc />
    public override ulong Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments)
    {
        var target = Check(instance, arguments.Length);
        if (Type.Results.Length > 1) throw new ArgumentException($"Export '{Name}' has {Type.Results.Length} results: use the overload with a results span.", nameof(instance));
        return target.Call(this, arguments);
    }

    /// <inheritdoc />
    public override void Invoke(IBackendInstance instance, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        var target = Check(instance, arguments.Length);
        if (results.Length != Type.Results.Length)
            throw new ArgumentException($"Export '{Name}' has {Type.Results.Length} results, not {results.Length}.", nameof(results));
        target.Call(this, arguments, results);
    }

    private WasmtimeInstance Check(IBackendInstance instance, int argumentCount)
    {
        if (instance is not WasmtimeInstance target || !ReferenceEquals(target.WasmtimeModule, _module))
            throw new ArgumentException($"The instance is not an instance of module '{_module.Name}' on this backend.", nameof(instance));
        if (argumentCount != Type.Parameters.Length)
            throw new ArgumentException($"Export '{Name}' takes {Type.Parameters.Length} arguments, not {argumentCount}.", nameof(instance));
        return target;
    }
}
