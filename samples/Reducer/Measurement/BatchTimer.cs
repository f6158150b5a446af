using System.Diagnostics;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// Times a batch-at-a-time operation: a warm-up of at least a minimum duration (tiered compilation waits for
/// the process to go quiet before it optimizes), then several runs of at least a minimum duration each;
/// reports the median nanoseconds per batch. A sample's yardstick, not a benchmark
/// harness (bench/WasmKit.Benchmarks has those).
/// </summary>
public sealed class BatchTimer(int runs = 7, double warmupMilliseconds = 300, double minimumRunMilliseconds = 25)
{
    /// <summary>The median time of one batch, in nanoseconds.</summary>
    /// <param name="runBatch">Runs batch number i (callers cycle through their batches).</param>
    /// <returns>Nanoseconds per batch.</returns>
    public double NanosecondsPerBatch(Action<int> runBatch)
    {
        long warmupTicks = (long)(warmupMilliseconds * Stopwatch.Frequency / 1000);
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; Stopwatch.GetTimestamp() - warmupStart < warmupTicks; i += 50)
            for (int j = 0; j < 50; j++) runBatch(i + j);
        var perRun = new double[runs];
        long minimumTicks = (long)(minimumRunMilliseconds * Stopwatch.Frequency / 1000);
        for (int run = 0; run < runs; run++)
        {
            int count = 0;
            long start = Stopwatch.GetTimestamp(), elapsed;
            do
            {
                for (int i = 0; i < 50; i++) runBatch(count + i);
                count += 50;
                elapsed = Stopwatch.GetTimestamp() - start;
            } while (elapsed < minimumTicks);
            perRun[run] = elapsed * (1e9 / Stopwatch.Frequency) / count;
        }
        Array.Sort(perRun);
        return perRun[runs / 2];
    }
}
