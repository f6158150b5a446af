using System.Collections.Concurrent;
using WasmKit.Compilation;

namespace WasmKit;

/// <summary>
/// The compilation environment shared by modules and stores: it interns function types (so
/// <c>call_indirect</c> compares two integers) and owns the signature thunks used to call between
/// host and guest. Thread-safe; create one per application.
/// </summary>
public sealed class Engine : IDisposable
{
    private readonly ConcurrentDictionary<FunctionType, int> _typeIds = new();
    private readonly ConcurrentDictionary<int, SignatureThunks> _thunks = new();
    private readonly object _typeLock = new();
    private int _nextTypeId;

    /// <summary>Creates an engine.</summary>
    public Engine()
    {
    }

    /// <summary>The canonical id of <paramref name="type"/> in this engine: equal types get equal ids.</summary>
    internal int InternType(FunctionType type)
    {
        if (_typeIds.TryGetValue(type, out int id)) return id;
        lock (_typeLock)
        {
            return _typeIds.GetOrAdd(type, _ => _nextTypeId++);
        }
    }

    /// <summary>The thunks for one function type, built on first use.</summary>
    internal SignatureThunks GetThunks(FunctionType type, int typeId) =>
        _thunks.GetOrAdd(typeId, static (_, t) => SignatureThunks.Create(t), type);

    /// <summary>Releases the engine. Compiled code is collected once no module or instance refers to it.</summary>
    public void Dispose()
    {
        _thunks.Clear();
    }
}
