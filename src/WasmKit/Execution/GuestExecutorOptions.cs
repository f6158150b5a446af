namespace WasmKit.Execution;

/// <summary>How a <see cref="GuestExecutor"/> sizes its execution threads and its queue.</summary>
public sealed class GuestExecutorOptions
{
    /// <summary>The default stack of an execution thread: 8 MiB, as a process's main thread has on Linux.</summary>
    /// <remarks>
    /// The managed engine runs guest code on the .NET stack and traps with <see cref="TrapCode.CallStackExhausted"/>
    /// before it runs out, so the stack bounds guest recursion depth: 8 MiB gives guests the depth they get on a main
    /// thread (the thread pool's 1.5 MiB gives far less), and Wasmtime's 512 KiB guest stack fits with room to spare.
    /// The stack is reserved, not committed: threads that never recurse deeply cost little memory.
    /// </remarks>
    public const int DefaultThreadStackBytes = 8 * 1024 * 1024;

    /// <summary>The most execution threads that run at once (threads start on demand); also the most guest calls that run at once. Default 64.</summary>
    public int MaxThreads { get; init; } = 64;

    /// <summary>The stack size of each execution thread in bytes (see <see cref="DefaultThreadStackBytes"/>); at least 256 KiB.</summary>
    public int ThreadStackBytes { get; init; } = DefaultThreadStackBytes;

    /// <summary>The most work items waiting for a thread (at least 1: every item passes through the queue); beyond it <see cref="QueueFullPolicy"/> applies. Default 100,000.</summary>
    public int MaxQueuedWork { get; init; } = 100_000;

    /// <summary>What happens to work submitted while the queue is full. Default <see cref="QueueFullPolicy.Wait"/>.</summary>
    public QueueFullPolicy QueueFullPolicy { get; init; } = QueueFullPolicy.Wait;

    /// <summary>How long an execution thread waits for work before it ends. Default 30 seconds.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The name of each thread is this prefix and a number (shown by debuggers and profilers); also the executor's tag on its metrics.</summary>
    public string ThreadNamePrefix { get; init; } = "WasmKit guest";

    /// <summary>Creates the "WasmKit" meter that carries the executor's gauges (e.g. from dependency injection); null for a meter of its own.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
