namespace WasmKit.Udf;

/// <summary>Resource limits for the instances that run a module's UDFs (a component manifest's "limits").</summary>
public sealed record UdfLimits
{
    /// <summary>The most memory pages an instance may have; <see langword="null"/> for the module's own maximum.</summary>
    public uint? MemoryPages { get; init; }

    /// <summary>The fuel each UDF evaluation may burn (needs an engine with <see cref="EngineOptions.ConsumeFuel"/>; ignored otherwise).</summary>
    public long? Fuel { get; init; }

    /// <summary>How long one UDF evaluation may run before it is interrupted (needs <see cref="EngineOptions.Interruptible"/>; ignored otherwise).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>No limits.</summary>
    public static UdfLimits None { get; } = new();
}
