using WasmKit.Runtime;

namespace WasmKit;

/// <summary>
/// A group of instances and host objects that may reference each other. A store and what it holds
/// are not thread-safe: use a store from one thread at a time.
/// </summary>
public sealed class Store
{
    /// <summary>Creates a store.</summary>
    /// <param name="engine">The engine whose modules this store instantiates.</param>
    public Store(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    /// <summary>The engine this store belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>Host data attached to the store, free for the application's use.</summary>
    public object? Data { get; set; }

    internal StackGuard StackGuard { get; } = new();
}
