using WasmKit.Execution;

namespace WasmKit.Tests.Execution;

/// <summary>
/// The executor on its own (no guest): work runs on its dedicated threads, within the thread cap, with the caller's
/// execution context but not its synchronization context; cancellation, the queue's policies and disposal.
/// </summary>
public class GuestExecutorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task WorkRunsOnANamedExecutionThreadAndReturnsItsResult()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { ThreadNamePrefix = "test guest" });
        var (result, poolThread, name) = await executor.RunAsync(20, static (state, _) =>
            (state + 22, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
        Assert.That(result, Is.EqualTo(42));
        Assert.That(poolThread, Is.False);
        Assert.That(name, Does.StartWith("test guest"));
    }

    [Test]
    public async Task ExceptionsFlowToTheTask()
    {
        await using var executor = new GuestExecutor();
        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await executor.RunAsync<int, int>(0, static (_, _) => throw new InvalidOperationException("bad work")));
        Assert.That(error!.Message, Is.EqualTo("bad work"));
        Assert.That(await executor.RunAsync(1, static (state, _) => state), Is.EqualTo(1), "the thread survives a failing item");
    }

    [Test]
    public async Task WorkSeesTheCallersExecutionContextButNotItsSynchronizationContext()
    {
        await using var executor = new GuestExecutor();
        var local = new AsyncLocal<string> { Value = "request 7" };
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
        try
        {
            var (seen, context) = await executor.RunAsync(local, static (l, _) => (l.Value, SynchronizationContext.Current)).AsTask().WaitAsync(Patience);
            Assert.That(seen, Is.EqualTo("request 7"));
            Assert.That(context, Is.Null);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    [Test]
    public async Task CancellingQueuedWorkWithdrawsIt()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 1 });
        using var release = new ManualResetEventSlim();
        var blocker = executor.RunAsync(release, static (r, _) => r.Wait(Patience));
        using var cancel = new CancellationTokenSource();
        int ran = 0;
        var queued = executor.RunAsync(0, (_, _) => Interlocked.Increment(ref ran), cancel.Token);
        Assert.That(executor.Metrics.QueuedWork, Is.GreaterThanOrEqualTo(1));
        cancel.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await queued);
        Assert.That(executor.Metrics.Canceled, Is.EqualTo(1));
        release.Set();
        Assert.That(await blocker, Is.True);
        Assert.That(await executor.RunAsync(0, static (_, _) => 5), Is.EqualTo(5), "the cancelled item left its place free");
        Assert.That(ran, Is.Zero, "the withdrawn work never ran");
        Assert.That(executor.Metrics.QueuedWork, Is.Zero);
    }

    [Test]
    public void AlreadyCancelledWorkNeverRuns()
    {
        using var executor = new GuestExecutor();
        int ran = 0;
        var task = executor.RunAsync(0, (_, _) => Interlocked.Increment(ref ran), new CancellationToken(canceled: true));
        Assert.That(task.IsCanceled, Is.True);
        Assert.That(ran, Is.Zero);
    }

    [Test]
    public async Task RunningWorkReceivesTheToken()
    {
        await using var executor = new GuestExecutor();
        using var cancel = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        var work = executor.RunAsync(started, static (s, token) =>
        {
            s.Set();
            token.WaitHandle.WaitOne(Patience);
            token.ThrowIfCancellationRequested();
            return 0;
        }, cancel.Token);
        Assert.That(started.Wait(Patience), Is.True);
        cancel.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await work);
    }

    [Test]
    public async Task AFullQueueRejectsUnderTheRejectPolicy()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 1, MaxQueuedWork = 1, QueueFullPolicy = QueueFullPolicy.Reject });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var running = executor.RunAsync((release, started), static (s, _) => { s.started.Set(); return s.release.Wait(Patience); });
        Assert.That(started.Wait(Patience), Is.True);
        var queued = executor.RunAsync(0, static (_, _) => 1);
        var rejected = executor.RunAsync(0, static (_, _) => 2);
        Assert.ThrowsAsync<GuestExecutorRejectedException>(async () => await rejected);
        Assert.That(executor.Metrics.Rejected, Is.EqualTo(1));
        release.Set();
        Assert.That((await running, await queued), Is.EqualTo((true, 1)));
    }

    [Test]
    public async Task AFullQueueMakesCallersWaitUnderTheWaitPolicy()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 1, MaxQueuedWork = 1 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var running = executor.RunAsync((release, started), static (s, _) => { s.started.Set(); return s.release.Wait(Patience); });
        Assert.That(started.Wait(Patience), Is.True);
        var queued = executor.RunAsync(0, static (_, _) => 1);
        var waiting = executor.RunAsync(0, static (_, _) => 2);
        using var cancel = new CancellationTokenSource();
        var cancelledWhileWaiting = executor.RunAsync(0, static (_, _) => 3, cancel.Token);
        Assert.That(waiting.IsCompleted, Is.False);
        cancel.Cancel();
        Assert.That(async () => await cancelledWhileWaiting, Throws.InstanceOf<OperationCanceledException>());
        release.Set();
        Assert.That((await running, await queued, await waiting), Is.EqualTo((true, 1, 2)));
    }

    [Test]
    public async Task ThreadsStayWithinTheCapAndRetireWhenIdle()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 4, IdleTimeout = TimeSpan.FromMilliseconds(20) });
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var work = Enumerable.Range(0, 200).Select(i => executor.RunAsync(i, (state, _) =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            Thread.Sleep(1);
            return state * 2;
        }).AsTask()).ToArray();
        var results = await Task.WhenAll(work).WaitAsync(Patience);
        Assert.That(results, Is.EqualTo(Enumerable.Range(0, 200).Select(i => i * 2)));
        Assert.That(executor.Metrics.PeakThreads, Is.InRange(1, 4));
        Assert.That(threads, Has.Count.LessThanOrEqualTo(executor.Metrics.PeakThreads + 4), "retired threads may be replaced, but never more than the cap at once");
        Assert.That(executor.Metrics.Completed, Is.EqualTo(200));
        Assert.That(() => executor.Metrics.CurrentThreads, Is.Zero.After((int)Patience.TotalMilliseconds, 10), "idle threads end");
        Assert.That(await executor.RunAsync(3, static (s, _) => s), Is.EqualTo(3), "a retired executor starts threads again");
    }

    [Test]
    public async Task DisposalFailsQueuedWorkAndLetsRunningWorkFinish()
    {
        var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 1 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var running = executor.RunAsync((release, started), static (s, _) => { s.started.Set(); return s.release.Wait(Patience); });
        Assert.That(started.Wait(Patience), Is.True);
        var queued = executor.RunAsync(0, static (_, _) => 1);
        executor.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await queued);
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await executor.RunAsync(0, static (_, _) => 2));
        var disposed = executor.DisposeAsync().AsTask();
        Assert.That(disposed.IsCompleted, Is.False, "the running work holds its thread");
        release.Set();
        Assert.That(await running, Is.True);
        await disposed.WaitAsync(Patience);
        Assert.That(executor.Metrics.CurrentThreads, Is.Zero);
    }

    [Test]
    public async Task TheWasmKitMeterCarriesThreadAndQueueGauges()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { ThreadNamePrefix = "metered guest" });
        Assert.That(await executor.RunAsync(1, static (s, _) => s), Is.EqualTo(1));
        var seen = new Dictionary<string, int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GuestExecutor.MeterName && instrument.Name.StartsWith("wasmkit.executor.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "executor.name" && (string?)tag.Value == "metered guest") seen[instrument.Name] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.That(seen.Keys, Is.EquivalentTo(new[] { "wasmkit.executor.threads", "wasmkit.executor.queued" }));
        Assert.That(seen["wasmkit.executor.threads"], Is.EqualTo(executor.Metrics.CurrentThreads));
        Assert.That(seen["wasmkit.executor.queued"], Is.Zero);
    }

    [Test]
    public void OptionsOutOfRangeAreRejected()
    {
        Assert.That(() => new GuestExecutor(new GuestExecutorOptions { MaxThreads = 0 }), Throws.ArgumentException);
        Assert.That(() => new GuestExecutor(new GuestExecutorOptions { ThreadStackBytes = 1024 }), Throws.ArgumentException);
        Assert.That(() => new GuestExecutor(new GuestExecutorOptions { MaxQueuedWork = 0 }), Throws.ArgumentException);
        Assert.That(() => new GuestExecutor(new GuestExecutorOptions { IdleTimeout = TimeSpan.FromSeconds(-1) }), Throws.ArgumentException);
    }
}
