namespace WasmKit;

/// <summary>Resource limits for everything in one store. A limit left null or zero means only WasmKit's own caps apply.</summary>
public sealed record StoreLimits
{
    /// <summary>The most 64 KiB pages any one memory may have; <c>memory.grow</c> beyond it returns -1.</summary>
    public uint? MaxMemoryPages { get; init; }

    /// <summary>The most elements any one table may have; <c>table.grow</c> beyond it returns -1.</summary>
    public uint? MaxTableElements { get; init; }

    /// <summary>
    /// The most bytes of .NET stack one call from the host into the guest may use, which bounds its call depth;
    /// deeper recursion traps with <see cref="TrapCode.CallStackExhausted"/>. 0: only the thread's own stack bounds it.
    /// </summary>
    public int MaxStackBytes { get; init; }

    /// <summary>No limits beyond WasmKit's own.</summary>
    public static StoreLimits None { get; } = new();
}
