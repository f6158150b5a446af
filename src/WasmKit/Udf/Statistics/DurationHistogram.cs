using System.Diagnostics;

namespace WasmKit.Udf;

/// <summary>
/// Counts, errors and a log-linear duration histogram, striped by thread so that concurrent callers rarely
/// touch the same cache lines. Recording is a few interlocked adds and allocates nothing.
/// </summary>
internal sealed class DurationHistogram
{
    // Values below 2^SubBits nanoseconds get a bucket each; above, each power of two splits into 2^SubBits buckets.
    private const int SubBits = 4;
    private const int SubCount = 1 << SubBits;
    private const int BucketCount = SubCount + (64 - SubBits - 1) * SubCount;

    private readonly Stripe[] _stripes;
    private readonly int _mask;

    public DurationHistogram()
    {
        int count = 1;
        while (count < Math.Min(Environment.ProcessorCount, 16)) count <<= 1;
        _stripes = new Stripe[count];
        for (int i = 0; i < count; i++) _stripes[i] = new Stripe();
        _mask = count - 1;
    }

    /// <summary>Counts evaluations (their durations are recorded separately, for the sampled ones).</summary>
    public void AddCalls(long calls, long errors)
    {
        var stripe = _stripes[Environment.CurrentManagedThreadId & _mask];
        Interlocked.Add(ref stripe.Calls, calls);
        if (errors > 0) Interlocked.Add(ref stripe.Errors, errors);
    }

    /// <summary>Records one measured duration, in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordDuration(long elapsedTimestampTicks)
    {
        long nanoseconds = elapsedTimestampTicks <= 0 ? 0 : (long)(elapsedTimestampTicks * (1_000_000_000.0 / Stopwatch.Frequency));
        var stripe = _stripes[Environment.CurrentManagedThreadId & _mask];
        Interlocked.Add(ref stripe.TotalNanoseconds, nanoseconds);
        Interlocked.Increment(ref stripe.Buckets[BucketOf(nanoseconds)]);
    }

    public UdfStatistics Snapshot(string name, string version)
    {
        long calls = 0, errors = 0, total = 0;
        var merged = new long[BucketCount];
        foreach (var stripe in _stripes)
        {
            calls += Volatile.Read(ref stripe.Calls);
            errors += Volatile.Read(ref stripe.Errors);
            total += Volatile.Read(ref stripe.TotalNanoseconds);
            for (int i = 0; i < BucketCount; i++) merged[i] += Volatile.Read(ref stripe.Buckets[i]);
        }
        long timed = merged.Sum();
        return new UdfStatistics(
            name, version, calls, errors,
            FromNanoseconds(timed == 0 ? 0 : total / (double)timed),
            FromNanoseconds(Percentile(merged, timed, 0.50)),
            FromNanoseconds(Percentile(merged, timed, 0.95)),
            FromNanoseconds(Percentile(merged, timed, 0.99)));
    }

    internal static int BucketOf(long nanoseconds)
    {
        if (nanoseconds < SubCount) return (int)nanoseconds;
        int exponent = 63 - (int)long.LeadingZeroCount(nanoseconds);
        int sub = (int)(nanoseconds >> (exponent - SubBits)) & (SubCount - 1);
        return SubCount + (exponent - SubBits) * SubCount + sub;
    }

    /// <summary>The midpoint of a bucket's range, in nanoseconds.</summary>
    internal static double BucketMidpoint(int bucket)
    {
        if (bucket < SubCount) return bucket;
        int exponent = (bucket - SubCount) / SubCount + SubBits;
        int sub = (bucket - SubCount) % SubCount;
        double width = Math.Pow(2, exponent - SubBits);
        double low = Math.Pow(2, exponent) + sub * width;
        return low + width / 2;
    }

    private static double Percentile(long[] buckets, long total, double fraction)
    {
        if (total == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(total * fraction));
        long seen = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank) return BucketMidpoint(i);
        }
        return BucketMidpoint(buckets.Length - 1);
    }

    private static TimeSpan FromNanoseconds(double nanoseconds) => TimeSpan.FromTicks((long)Math.Round(nanoseconds / 100));

    private sealed class Stripe
    {
        public long Calls;
        public long Errors;
        public long TotalNanoseconds;
        public readonly long[] Buckets = new long[BucketCount];
    }
}
