using System.Diagnostics;

namespace WasmKit.Plugins;

/// <summary>Live counters of one plugin's tap calls; thread-safe.</summary>
public sealed class PluginStatistics
{
    private long _calls;
    private long _failures;
    private long _rejections;
    private long _elapsedTimestamp;

    /// <summary>How many tap calls reached the plugin.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>How many of them failed (trap, timeout, bad result, ...).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>How many rejected the item.</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>The time spent in the plugin's calls, renting and guest code together.</summary>
    public TimeSpan TotalTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _elapsedTimestamp));

    /// <summary>The mean time per call.</summary>
    public TimeSpan MeanTime => Calls == 0 ? TimeSpan.Zero : TotalTime / Calls;

    internal void Record(long elapsedTimestamp, bool failed, bool rejected)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _elapsedTimestamp, elapsedTimestamp);
        if (failed) Interlocked.Increment(ref _failures);
        if (rejected) Interlocked.Increment(ref _rejections);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"calls {Calls}, failures {Failures}, rejections {Rejections}, mean {MeanTime.TotalMicroseconds:0.0} us";
}
