namespace WasmKit.Backends;

/// <summary>What a backend supports under its configuration; the product layer enables limits only where they hold.</summary>
public sealed record BackendCapabilities
{
    /// <summary>Whether guest code consumes fuel (<see cref="IExecutionBudget.Fuel"/>), so a fuel limit can stop it.</summary>
    public bool SupportsFuel { get; init; }

    /// <summary>Whether running guest code can be interrupted (<see cref="IExecutionBudget.RequestInterrupt"/>), so timeouts and cancellation work.</summary>
    public bool SupportsInterruption { get; init; }

    /// <summary>Whether <see cref="IBackendInstance.Reset"/> can return an instance to its fresh state (pooling needs it).</summary>
    public bool SupportsReset { get; init; }

    /// <summary>The most pages a memory may have on this engine; a memory limit above it is refused at registration.</summary>
    public uint MaximumMemoryPages { get; init; }
}
