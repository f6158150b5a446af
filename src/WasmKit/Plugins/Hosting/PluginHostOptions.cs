using WasmKit.Backends;
using WasmKit.Execution;
using WasmKit.Pooling;

namespace WasmKit.Plugins;

/// <summary>How a <see cref="PluginHost"/> runs its plugins.</summary>
public sealed record PluginHostOptions
{
    /// <summary>The import module of the host's capability functions.</summary>
    public const string CapabilityModule = "wasmkit_host";

    /// <summary>The engine; a new managed engine (with resettable instances, fuel and interruption) when null.</summary>
    public IWasmBackend? Backend { get; init; }

    /// <summary>How items reach the guests.</summary>
    public TapDataMode DataMode { get; init; } = TapDataMode.Serialized;

    /// <summary>
    /// The capability functions plugins may import (module <see cref="CapabilityModule"/>), each granted to a
    /// plugin only when its manifest lists the function's name under <c>capabilities</c>. Synchronous or
    /// asynchronous (<see cref="AsyncHostFunctionImplementation"/>); their state argument is the <see cref="PluginCallState"/>.
    /// </summary>
    public IReadOnlyList<HostFunctionDefinition> HostFunctions { get; init; } = [];

    /// <summary>
    /// Where <see cref="PluginHost.CallTapAsync"/> runs the guests of plugins that import an asynchronous host
    /// function (e.g. <c>db_query</c>): dedicated execution threads, so that a guest waiting for the host holds one
    /// of them and never a thread-pool thread. Other plugins' guests only compute and run on the calling thread.
    /// Use one whenever plugins import asynchronous host functions, with <see cref="MaximumInstancesPerPlugin"/> at
    /// least its thread count (else execution threads wait for instances); it may be shared by several hosts, and the
    /// host does not dispose it. Requests wait in its queue, first come, first served. Null runs every guest on the
    /// thread that continues the call.
    /// </summary>
    public GuestExecutor? Executor { get; init; }

    /// <summary>The most live instances per plugin (rented plus idle): the most concurrent calls into one plugin.</summary>
    public int MaximumInstancesPerPlugin { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>
    /// The most guest memory, in bytes, one plugin's live instances may hold together (<see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>);
    /// null for no cap beyond <see cref="MaximumInstancesPerPlugin"/> times each instance's memory limit.
    /// </summary>
    public long? MaximumMemoryBytesPerPlugin { get; init; }

    /// <summary>Whether a call that finds its plugin at <see cref="MaximumMemoryBytesPerPlugin"/> waits for an instance or fails that plugin (<see cref="TapFailureKind.Instantiation"/>) at once.</summary>
    public MemoryCapPolicy WhenMemoryCapReached { get; init; } = MemoryCapPolicy.Wait;

    /// <summary>How many instances per plugin to create at load.</summary>
    public int PrewarmInstancesPerPlugin { get; init; } = 1;

    /// <summary>How long a call waits for an instance of a plugin at its cap before that plugin fails with <see cref="TapFailureKind.Instantiation"/>; null waits without limit.</summary>
    public TimeSpan? RentTimeout { get; init; }

    /// <summary>The largest result (render, changes, rejection together) a tap may return, in bytes.</summary>
    public int MaximumResultBytes { get; init; } = 64 * 1024;

    /// <summary>The fuel per request for plugins whose manifest sets none; null for unlimited.</summary>
    public long? DefaultFuel { get; init; } = 100_000_000;

    /// <summary>The timeout per tap call for plugins whose manifest sets none; null for none.</summary>
    public TimeSpan? DefaultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The memory cap (64 KiB pages) for plugins whose manifest sets none; null for the module's own maximum.</summary>
    public uint? DefaultMemoryPages { get; init; } = 256;

    /// <summary>When true, the first failing plugin stops the tap with <see cref="PluginTapException"/>; by default it is reported in <see cref="TapResult.Failures"/> and the others run on.</summary>
    public bool ThrowOnPluginFailure { get; init; }
}
