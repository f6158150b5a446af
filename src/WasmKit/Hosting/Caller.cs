using System.Runtime.CompilerServices;
using WasmKit.Runtime;

namespace WasmKit;

/// <summary>
/// What a host function knows about the instance that called it: its memory and exports. Valid
/// only during the call. A value type, so passing it costs no allocation.
/// </summary>
public readonly struct Caller
{
    private readonly InstanceContext? _context;

    internal Caller(InstanceContext? context, Store store)
    {
        _context = context;
        Store = store;
    }

    /// <summary>The store of the call.</summary>
    public Store Store { get; }

    /// <summary>The calling instance, or <see langword="null"/> when the host called the function directly.</summary>
    public Instance? Instance => _context?.Instance;

    /// <summary>The calling instance's memory 0, exported or not; <see langword="null"/> if it has none.</summary>
    public Memory? Memory
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _context?.Memory0;
    }

    /// <summary>An export of the calling instance.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The memory, or <see langword="null"/>.</returns>
    public Memory? GetMemory(string name) => Instance?.GetMemory(name);

    /// <summary>An exported function of the calling instance.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The function, or <see langword="null"/>.</returns>
    public Function? GetFunction(string name) => Instance?.GetFunction(name);

    /// <summary>An export of any kind of the calling instance.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The export, or <see langword="null"/>.</returns>
    public object? GetExport(string name) => Instance?.GetExport(name);
}
