using System.Diagnostics;
using WasmKit.Plugins;

namespace PluginTaps;

/// <summary>
/// Runs a tap in a closed loop: N requests always in flight, each issued as the previous one completes,
/// until the time is up. Records every request's latency and rent time, and checks every result.
/// </summary>
internal sealed class ClosedLoop(PluginHost host, string tap, byte[] itemJson, Func<TapResult, string?> check)
{
    private long _completed;
    private long _wrong;
    private int _peakThreads;

    public long Completed => Interlocked.Read(ref _completed);

    public long Wrong => Interlocked.Read(ref _wrong);

    public int PeakThreads => _peakThreads;

    public string? FirstError { get; private set; }

    public List<long> Latencies { get; } = [];

    public List<long> RentTimes { get; } = [];

    public async Task<TimeSpan> RunAsync(int concurrency, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        using var sampler = new Timer(_ => SampleThreads(), null, 0, 50);
        var started = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => Worker(stop.Token))).ToArray();
        var recorded = await Task.WhenAll(workers);
        var elapsed = started.Elapsed;
        foreach (var (latencies, rents) in recorded)
        {
            Latencies.AddRange(latencies);
            RentTimes.AddRange(rents);
        }
        return elapsed;
    }

    private async Task<(List<long>, List<long>)> Worker(CancellationToken stop)
    {
        var latencies = new List<long>(4096);
        var rents = new List<long>(4096);
        while (!stop.IsCancellationRequested)
        {
            long start = Stopwatch.GetTimestamp();
            var item = TapItem.Parse(itemJson);
            var result = await host.CallTapAsync(tap, item).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetTimestamp() - start);
            rents.Add(result.RentTime.Ticks);
            Interlocked.Increment(ref _completed);
            if (check(result) is { } error)
            {
                Interlocked.Increment(ref _wrong);
                FirstError ??= error;
            }
        }
        return (latencies, rents);
    }

    private void SampleThreads()
    {
        int threads = ThreadPool.ThreadCount;
        int seen = Volatile.Read(ref _peakThreads);
        while (threads > seen)
        {
            int prior = Interlocked.CompareExchange(ref _peakThreads, threads, seen);
            if (prior == seen) break;
            seen = prior;
        }
    }
}
