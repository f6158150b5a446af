using System.Diagnostics;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// Times a batch-at-a-time operation: warm-up (so the JIT and tiering settle), then several runs of at least
/// a minimum duration each; reports the median nanoseconds per batch. A sample's yardstick, not a benchmark
/// harness (bench/WasmKit.Benchmarks has those).
/// </summary>
public sealed class BatchTimer(int runs = 7, int warmupBatches = 3000, double minimumRunMilliseconds = 25)
{
    /// <summary>The median time of one batch, in nanoseconds.</summary>
    /// <param name="runBatch">Runs batch number i (callers cycle through their batches).</param>
    /// <returns>Nanoseconds per batch.</returns>
    public double NanosecondsPerBatch(Action<int> runBatch)
    {
        for (int i = 0; i < warmupBatches; i++) runBatch(i);
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
