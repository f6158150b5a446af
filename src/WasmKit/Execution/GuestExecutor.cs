using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WasmKit.Backends;
using WasmKit.Pooling;

namespace WasmKit.Execution;

/// <summary>
/// A bounded set of dedicated execution threads (not thread-pool threads) on which guest code runs, so that
/// a guest blocked in an asynchronous host function (see <see cref="AsyncHostCalls"/>) holds one of these
/// threads and never a thread of the .NET thread pool. At most <see cref="GuestExecutorOptions.MaxThreads"/>
/// threads exist; they start on demand and end after <see cref="GuestExecutorOptions.IdleTimeout"/> without work.
/// </summary>
/// <remarks>
/// <para>
/// Design: WasmKit blocks execution threads rather than suspending guests. Neither engine can suspend a guest's
/// stack (the managed engine runs guests as ordinary .NET methods; Wasmtime's .NET API has no asynchronous calls),
/// so a guest that awaits a host task keeps its thread until the task completes. With T threads and a mean
/// await of D, throughput is at most T/D guest calls per second; size <see cref="GuestExecutorOptions.MaxThreads"/> for it.
/// </para>
/// <para>
/// Work waits in a FIFO queue for a thread. Cancelling a work item's token before it starts withdraws it (its
/// task ends cancelled and the work never runs); once started, the token is passed to the work, which watches it
/// (e.g. <see cref="IExecutionBudget.InterruptOn"/>). The work's result or exception completes the returned task;
/// continuations never run on an execution thread. The work runs in the caller's <see cref="ExecutionContext"/>
/// without its <see cref="SynchronizationContext"/>.
/// </para>
/// <para>
/// Disposal stops accepting work, ends queued work that has not started with <see cref="ObjectDisposedException"/>,
/// and lets running work finish; <see cref="DisposeAsync"/> also waits for the threads to end (do not await it
/// from work running on the executor).
/// </para>
/// </remarks>
public sealed class GuestExecutor : IDisposable, IAsyncDisposable
{
    private readonly GuestExecutorOptions _options;
    private readonly ConcurrentQueue<GuestWorkItem> _queue = new();
    // Permits for idle threads: a submitter that claims an idle thread (decrements _idleThreads) releases one.
    private readonly SemaphoreSlim _wakeUps = new(0);
    // Places in the queue: lock-free while one is free; callers at MaxQueuedWork sleep on it under the Wait policy.
    private readonly SlotGate _queueRoom;
    private readonly TaskCompletionSource _threadsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private int _idleThreads;
    private int _threadNumber;
    private int _disposed;

    /// <summary>Creates an executor; it starts no thread until work arrives.</summary>
    /// <param name="options">Sizes and policies; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GuestExecutor(GuestExecutorOptions? options = null)
    {
        options ??= new GuestExecutorOptions();
        if (options.MaxThreads < 1)
            throw new ArgumentException($"MaxThreads must be at least 1, not {options.MaxThreads}.", nameof(options));
        if (options.ThreadStackBytes < 256 * 1024)
            throw new ArgumentException($"ThreadStackBytes must be at least 256 KiB, not {options.ThreadStackBytes}.", nameof(options));
        if (options.MaxQueuedWork < 1)
            throw new ArgumentException($"MaxQueuedWork must be at least 1 (every item passes through the queue), not {options.MaxQueuedWork}.", nameof(options));
        if (options.IdleTimeout < TimeSpan.Zero || options.IdleTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException($"IdleTimeout must lie between 0 and {int.MaxValue} ms, not {options.IdleTimeout}.", nameof(options));
        if (!Enum.IsDefined(options.QueueFullPolicy))
            throw new ArgumentException($"QueueFullPolicy {options.QueueFullPolicy} is not defined.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.ThreadNamePrefix, nameof(options));
        _options = options;
        _queueRoom = new SlotGate(options.MaxQueuedWork);
        _ownsMeter = options.MeterFactory is null;
        _meter = options.MeterFactory?.Create(MeterName) ?? new Meter(MeterName);
        var tags = new KeyValuePair<string, object?>[] { new("executor.name", options.ThreadNamePrefix) };
        // A shared meter (from a factory) outlives the executor: a disposed executor reports nothing.
        _meter.CreateObservableGauge("wasmkit.executor.threads", () => Observe(Metrics.CurrentThreads, tags),
            unit: "{thread}", description: "Execution threads of a guest executor.");
        _meter.CreateObservableGauge("wasmkit.executor.queued", () => Observe(Metrics.QueuedWork, tags),
            unit: "{item}", description: "Work items waiting for an execution thread.");
    }

    /// <summary>The name of the meter that carries the executor's gauges: "WasmKit".</summary>
    public const string MeterName = "WasmKit";

    /// <summary>Current and peak threads, queued, completed, rejected and cancelled work.</summary>
    public GuestExecutorMetrics Metrics { get; } = new();

    /// <summary>The options the executor was created with.</summary>
    public GuestExecutorOptions Options => _options;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Runs <paramref name="work"/> on an execution thread.</summary>
    /// <typeparam name="TState">What the work receives (pass what it needs here, so a static lambda suffices).</typeparam>
    /// <typeparam name="TResult">What the work returns.</typeparam>
    /// <param name="state">Passed to the work.</param>
    /// <param name="work">The work; it receives <paramref name="cancellationToken"/> and should stop when it is cancelled.</param>
    /// <param name="cancellationToken">Before the work starts, withdraws it; after, is the work's to watch.</param>
    /// <returns>
    /// The work's result. Faults with the work's exception; with <see cref="GuestExecutorRejectedException"/> when the
    /// queue is full under <see cref="QueueFullPolicy.Reject"/>; with <see cref="ObjectDisposedException"/> when the
    /// executor is (or gets) disposed before the work starts. Ends cancelled when the token is cancelled before the work starts.
    /// </returns>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsDisposed) return ValueTask.FromException<TResult>(Disposed());
        if (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref Metrics.CanceledCount);
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }
        var item = new GuestWorkItem<TState, TResult>(this, state, work, cancellationToken);
        if (_queueRoom.TryEnter())
        {
            Enqueue(item);
            return new ValueTask<TResult>(item.Task);
        }
        if (_options.QueueFullPolicy == QueueFullPolicy.Reject)
        {
            Interlocked.Increment(ref Metrics.RejectedCount);
            return ValueTask.FromException<TResult>(new GuestExecutorRejectedException(
                $"The guest executor '{_options.ThreadNamePrefix}' rejected work: {_options.MaxQueuedWork} items already wait for its {_options.MaxThreads} threads."));
        }
        return new ValueTask<TResult>(WaitForRoomAsync(item, cancellationToken));
    }

    /// <summary>Stops accepting work and ends queued work with <see cref="ObjectDisposedException"/>; running work finishes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        FailQueued();
        // Wake every idle thread: finding the executor disposed, each ends.
        _wakeUps.Release(Math.Max(1, Metrics.CurrentThreads));
        if (Metrics.CurrentThreads == 0) _threadsEnded.TrySetResult();
        if (_ownsMeter) _meter.Dispose();
    }

    /// <summary>Disposes the executor (see <see cref="Dispose"/>) and completes when running work has finished and every thread has ended.</summary>
    /// <returns>Completes when the threads have ended.</returns>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _threadsEnded.Task.ConfigureAwait(false);
    }

    /// <summary>A queued item was withdrawn by its token: gives its place in the queue back and ends its task.</summary>
    internal void Withdrawn(GuestWorkItem item)
    {
        LeftQueue();
        Interlocked.Increment(ref Metrics.CanceledCount);
        item.CompleteCanceled();
    }

    private async Task<TResult> WaitForRoomAsync<TState, TResult>(GuestWorkItem<TState, TResult> item, CancellationToken cancellationToken)
    {
        await _queueRoom.EnterAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (IsDisposed)
        {
            _queueRoom.Exit();
            throw Disposed();
        }
        Enqueue(item);
        return await item.Task.ConfigureAwait(false);
    }

    /// <summary>Queues an item that holds a place in the queue, and finds it a thread.</summary>
    private void Enqueue(GuestWorkItem item)
    {
        Interlocked.Increment(ref Metrics.QueuedCount);
        // Registered before the item is visible to threads, so a thread that starts it always finds the registration to drop.
        item.WatchCancellation();
        _queue.Enqueue(item);
        // Disposal may have emptied the queue just before this item arrived: empty it again.
        if (IsDisposed)
        {
            FailQueued();
            return;
        }
        if (!TryWakeIdleThread()) TryStartThread();
    }

    /// <summary>An item left the queue (started or withdrawn): its place is free again.</summary>
    private void LeftQueue()
    {
        Interlocked.Decrement(ref Metrics.QueuedCount);
        _queueRoom.Exit();
    }

    private bool TryWakeIdleThread()
    {
        int idle = Volatile.Read(ref _idleThreads);
        while (idle > 0)
        {
            int seen = Interlocked.CompareExchange(ref _idleThreads, idle - 1, idle);
            if (seen == idle)
            {
                _wakeUps.Release();
                return true;
            }
            idle = seen;
        }
        return false;
    }

    private void TryStartThread()
    {
        if (!TryReserveThread()) return;
        var thread = new Thread(static executor => ((GuestExecutor)executor!).ThreadLoop(), _options.ThreadStackBytes)
        {
            IsBackground = true,
            Name = $"{_options.ThreadNamePrefix} {Interlocked.Increment(ref _threadNumber)}",
        };
        // UnsafeStart: the thread outlives the submitter, so it must not keep the submitter's execution context.
        thread.UnsafeStart(this);
    }

    /// <summary>Counts one more thread, within <see cref="GuestExecutorOptions.MaxThreads"/>; false when at the cap.</summary>
    private bool TryReserveThread()
    {
        int threads = Volatile.Read(ref Metrics.ThreadCount);
        while (threads < _options.MaxThreads)
        {
            int seen = Interlocked.CompareExchange(ref Metrics.ThreadCount, threads + 1, threads);
            if (seen == threads)
            {
                Metrics.RecordThreads(threads + 1);
                return true;
            }
            threads = seen;
        }
        return false;
    }

    private void ThreadLoop()
    {
        while (true)
        {
            RunQueued();
            if (!IsDisposed && WaitForWork()) continue;
            int left = Interlocked.Decrement(ref Metrics.ThreadCount);
            if (IsDisposed)
            {
                if (left == 0) _threadsEnded.TrySetResult();
                return;
            }
            // An item queued while this thread was ending may have found every thread counted and none idle: stay for it.
            if (_queue.IsEmpty || !TryReserveThread()) return;
        }
    }

    private void RunQueued()
    {
        while (_queue.TryDequeue(out var item))
        {
            if (!item.TryStart()) continue; // Withdrawn by its token, which gave its place back.
            LeftQueue();
            if (IsDisposed)
            {
                Interlocked.Increment(ref Metrics.CanceledCount);
                item.CompleteFaulted(Disposed());
                continue;
            }
            item.Run();
            Interlocked.Increment(ref Metrics.CompletedCount);
        }
    }

    /// <summary>Sleeps until a submitter claims this thread; false when the thread should end (idle too long).</summary>
    private bool WaitForWork()
    {
        // Registering as idle is a full fence, as is enqueuing: either a submitter sees this thread idle, or it sees the item.
        Interlocked.Increment(ref _idleThreads);
        if (!_queue.IsEmpty)
        {
            if (TryUnregisterIdle()) return true;
            _wakeUps.Wait(); // A submitter claimed this thread meanwhile: take its wake-up.
            return true;
        }
        if (_wakeUps.Wait(_options.IdleTimeout)) return true;
        if (TryUnregisterIdle()) return false;
        // Every idle registration was claimed, this one too: a wake-up is on its way.
        _wakeUps.Wait();
        return true;
    }

    private bool TryUnregisterIdle()
    {
        int idle = Volatile.Read(ref _idleThreads);
        while (idle > 0)
        {
            int seen = Interlocked.CompareExchange(ref _idleThreads, idle - 1, idle);
            if (seen == idle) return true;
            idle = seen;
        }
        return false;
    }

    private void FailQueued()
    {
        while (_queue.TryDequeue(out var item))
        {
            if (!item.TryWithdraw()) continue;
            LeftQueue();
            Interlocked.Increment(ref Metrics.CanceledCount);
            item.CompleteFaulted(Disposed());
        }
    }

    private Measurement<int>[] Observe(int value, KeyValuePair<string, object?>[] tags) =>
        IsDisposed ? [] : [new Measurement<int>(value, tags)];

    private ObjectDisposedException Disposed() => new(nameof(GuestExecutor), $"The guest executor '{_options.ThreadNamePrefix}' was disposed before the work started.");
}
