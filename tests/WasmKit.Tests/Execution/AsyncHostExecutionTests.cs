using WasmKit.Backends;
using WasmKit.Execution;
using WasmKit.Pooling;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Execution;

/// <summary>
/// Guests that await asynchronous host functions, run on a <see cref="GuestExecutor"/> through the seam, on every
/// backend: 2,000 concurrent requests all correct, the guest's blocking kept off the thread pool and within the
/// thread cap, cancellation of queued and running calls, the call's token reaching the host, no deadlock under a
/// synchronization context.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class AsyncHostExecutionTests(BackendFixture fixture)
{
    private const string Guest = """
        (module
          (import "env" "db_query" (func $db_query (param i32) (result i32)))
          (import "env" "db_wait" (func $db_wait (param i32) (result i32)))
          (func (export "tap") (param $id i32) (result i32)
            (i32.add (call $db_query (local.get $id)) (i32.const 1)))
          (func (export "wait") (param $id i32) (result i32)
            (call $db_wait (local.get $id)))
          (func (export "forever") (loop $l (br $l))))
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly FunctionType IntToInt = new([ValueKind.Int32], [ValueKind.Int32]);
    private static byte[]? s_guest;

    private IBackendModule _module = null!;
    private int _hostCalls;
    private int _hostCallsOnPoolThreads;
    private int _waitCalls;

    /// <summary>The value the host's "query" derives from a request id, which the guest adds one to.</summary>
    private static int QueryResult(int id) => id * 3 + 7;

    [SetUp]
    public void SetUp()
    {
        _module = fixture.CreateBackend().Compile(s_guest ??= Wat.ToWasm(Guest), "async-guest");
        _hostCalls = 0;
        _hostCallsOnPoolThreads = 0;
        _waitCalls = 0;
    }

    private BackendInstanceOptions InstanceOptions => new()
    {
        Imports = new BackendImports
        {
            HostFunctions =
            [
                new HostFunctionDefinition("env", "db_query", IntToInt, async (state, arguments, results, cancellationToken) =>
                {
                    // Before the first await this runs on the guest's thread.
                    Interlocked.Increment(ref _hostCalls);
                    if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref _hostCallsOnPoolThreads);
                    int id = (int)arguments.Span[0];
                    await Task.Delay(1 + id % 10, cancellationToken);
                    results.Span[0] = (uint)QueryResult(id);
                }),
                new HostFunctionDefinition("env", "db_wait", IntToInt, async (state, arguments, results, cancellationToken) =>
                {
                    Interlocked.Increment(ref _waitCalls);
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    results.Span[0] = arguments.Span[0];
                }),
            ],
        },
    };

    private static ulong[] Argument(int value) => [(uint)value];

    [Test]
    public async Task TwoThousandConcurrentRequestsAreAllCorrectOnBoundedExecutionThreads()
    {
        const int requests = 2000;
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 32 });
        using var pool = new InstancePool(_module, InstanceOptions, new InstancePoolOptions { MaximumInstances = requests });
        var tap = _module.GetInvoker("tap")!;
        async Task<int> Request(int id)
        {
            using var rented = await pool.RentAsync();
            return (int)await tap.InvokeOnExecutorAsync(executor, rented.BackendInstance, Argument(id));
        }
        var results = await Task.WhenAll(Enumerable.Range(0, requests).Select(Request)).WaitAsync(Patience);
        Assert.That(results, Is.EqualTo(Enumerable.Range(0, requests).Select(id => QueryResult(id) + 1)));
        Assert.That(_hostCalls, Is.EqualTo(requests));
        Assert.That(_hostCallsOnPoolThreads, Is.Zero, "guest code and the host call's blocking never ran on a thread-pool thread");
        Assert.That(executor.Metrics.PeakThreads, Is.InRange(1, 32));
        Assert.That(executor.Metrics.Completed, Is.EqualTo(requests));
    }

    [Test]
    public async Task CancellingAQueuedCallMeansTheGuestNeverRuns()
    {
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 1 });
        using var busy = _module.Instantiate(InstanceOptions);
        using var waiting = _module.Instantiate(InstanceOptions);
        using var stopBusy = new CancellationTokenSource();
        using var stopWaiting = new CancellationTokenSource();
        var running = _module.GetInvoker("forever")!.InvokeOnExecutorAsync(executor, busy, ReadOnlyMemory<ulong>.Empty, stopBusy.Token);
        Assert.That(() => executor.Metrics.QueuedWork, Is.Zero.After((int)Patience.TotalMilliseconds, 5), "the only thread took the infinite loop");
        var queued = _module.GetInvoker("tap")!.InvokeOnExecutorAsync(executor, waiting, Argument(1), stopWaiting.Token);
        stopWaiting.Cancel();
        Assert.That(async () => await queued, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_hostCalls, Is.Zero);
        Assert.That(waiting.HasTrapped, Is.False);

        stopBusy.Cancel();
        var trap = Assert.ThrowsAsync<WasmTrapException>(async () => await running.AsTask().WaitAsync(Patience));
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(busy.HasTrapped, Is.True);
    }

    [Test]
    public async Task CancellingTheCallCancelsTheAwaitedHostFunction()
    {
        await using var executor = new GuestExecutor();
        using var instance = _module.Instantiate(InstanceOptions);
        using var cancel = new CancellationTokenSource();
        var call = _module.GetInvoker("wait")!.InvokeOnExecutorAsync(executor, instance, Argument(5), cancel.Token);
        // Cancel once the guest waits in the host function, however loaded the machine is.
        Assert.That(() => Volatile.Read(ref _waitCalls), Is.EqualTo(1).After((int)Patience.TotalMilliseconds, 5));
        cancel.Cancel();
        Assert.That(async () => await call.AsTask().WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(instance.HasTrapped, Is.True, "a host exception leaves the instance trapped, as a synchronous one would");
    }

    [Test]
    public void ABlockedGuestNeverNeedsItsOwnThreadForTheHostsContinuations()
    {
        using var instance = _module.Instantiate(InstanceOptions);
        var tap = _module.GetInvoker("tap")!;
        ulong result = 0;
        // A context that queues continuations for its own thread and never runs them: awaiting on it would deadlock.
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new NeverPumpedContext());
            result = tap.Invoke(instance, Argument(4));
        });
        thread.Start();
        Assert.That(thread.Join(Patience), Is.True, "the call completed");
        Assert.That(result, Is.EqualTo((ulong)QueryResult(4) + 1));
    }

    [Test]
    public async Task SynchronousInvokeAsyncPassesItsTokenToTheHost()
    {
        using var instance = _module.Instantiate(InstanceOptions);
        using var cancel = new CancellationTokenSource(50);
        var call = Task.Run(async () =>
        {
            try
            {
                await _module.GetInvoker("wait")!.InvokeAsync(instance, Argument(1), cancel.Token);
            }
            finally
            {
                Assert.That(HostCallCancellation.Current, Is.EqualTo(CancellationToken.None), "the token's scope ended with the call");
            }
        });
        Assert.That(async () => await call.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void AnAsyncHostFunctionThatCompletesAtOnceAllocatesNothingOnTheManagedEngine()
    {
        fixture.RequireManaged("the Wasmtime binding allocates in its own call path");
        var module = fixture.CreateBackend().Compile(s_guest ??= Wat.ToWasm(Guest), "async-guest");
        var options = new BackendInstanceOptions
        {
            Imports = new BackendImports
            {
                HostFunctions =
                [
                    new HostFunctionDefinition("env", "db_query", IntToInt, static (state, arguments, results, cancellationToken) =>
                    {
                        results.Span[0] = arguments.Span[0] * 3 + 7;
                        return ValueTask.CompletedTask; // a cache hit: no await
                    }),
                    new HostFunctionDefinition("env", "db_wait", IntToInt, static (state, arguments, results, cancellationToken) => ValueTask.CompletedTask),
                ],
            },
        };
        using var instance = module.Instantiate(options);
        var tap = module.GetInvoker("tap")!;
        ulong[] argument = [4];
        tap.Invoke(instance, argument); // warm up: compile, pools
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong result = 0;
        for (int i = 0; i < 100; i++) result = tap.Invoke(instance, argument);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(result, Is.EqualTo((ulong)QueryResult(4) + 1));
        Assert.That(allocated, Is.Zero);
    }

    private sealed class NeverPumpedContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            // Dropped: the owning thread is blocked in the guest and never comes back for it.
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new InvalidOperationException("not expected");
    }
}
