using System.Diagnostics;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// Times a batch-at-a-time operation: warms up until the speed settles (tiered compilation optimizes
/// hot code, guest code included, only after a while, later still on a busy machine), then several runs of
/// at least a minimum duration each; reports the median nanoseconds per batch. A sample's yardstick, not a
/// benchmark harness (bench/WasmKit.Benchmarks has those).
/// </summary>
public sealed class BatchTimer(int runs = 7, double minimumRunMilliseconds = 25, double minimumWarmupMilliseconds = 1000, double maximumWarmupMilliseconds = 4000)
{
    // Warm-up windows: the speed has settled when, after the minimum warm-up (unoptimized code runs at a
    // steady speed too, until the optimized version arrives), three in a row are no faster than the best so far.
    private const double WindowMilliseconds = 100;
    private const int SettledWindows = 3;

    /// <summary>The median time of one batch, in nanoseconds.</summary>
    /// <param name="runBatch">Runs batch number i (callers cycle through their batches).</param>
    /// <returns>Nanoseconds per batch.</returns>
    public double NanosecondsPerBatch(Action<int> runBatch)
    {
        int next = 0;
        double best = double.MaxValue;
        var warmup = Stopwatch.StartNew();
        for (int settled = 0;
             (settled < SettledWindows || warmup.Elapsed.TotalMilliseconds < minimumWarmupMilliseconds) && warmup.Elapsed.TotalMilliseconds < maximumWarmupMilliseconds;)
        {
            double window = Run(runBatch, ref next, WindowMilliseconds);
            if (window < best * 0.97) settled = 0;
            else settled++;
            best = Math.Min(best, window);
        }
        var perRun = new double[runs];
        for (int run = 0; run < runs; run++) perRun[run] = Run(runBatch, ref next, minimumRunMilliseconds);
        Array.Sort(perRun);
        return perRun[runs / 2];
    }

    // Runs batches in groups of 50 for at least the given time; nanoseconds per batch.
    private static double Run(Action<int> runBatch, ref int next, double milliseconds)
    {
        long minimumTicks = (long)(milliseconds * Stopwatch.Frequency / 1000);
        int count = 0;
        long start = Stopwatch.GetTimestamp(), elapsed;
        do
        {
            for (int i = 0; i < 50; i++) runBatch(next + i);
            next += 50;
            count += 50;
            elapsed = Stopwatch.GetTimestamp() - start;
        } while (elapsed < minimumTicks);
        return elapsed * (1e9 / Stopwatch.Frequency) / count;
    }
}
