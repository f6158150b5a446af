namespace WasmKit.Components;

/// <summary>The resource limits a component manifest asks for; null members are unset.</summary>
public sealed record ManifestLimits
{
    /// <summary>The most 64 KiB memory pages an instance may use.</summary>
    public uint? MemoryPages { get; init; }

    /// <summary>The fuel one call may use (one unit per function call and loop iteration).</summary>
    public long? Fuel { get; init; }

    /// <summary>How long one call may run, in milliseconds.</summary>
    public int? TimeoutMs { get; init; }
}
