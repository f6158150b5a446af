using WasmKit.Tests.Support;
using System.Diagnostics.Metrics;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfStatisticsTests(BackendFixture fixture)
{
    [Test]
    public void CountsCallsErrorsAndDurations()
    {
        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
        registry.Register(Metadata("crash", "crash", [UdfType.I32]), module);
        var empty = Document("{}");
        for (int i = 0; i < 30; i++) registry.Call("add", null, empty, new Dictionary<string, object?> { ["a"] = i, ["b"] = 1 });
        Assert.Throws<UdfArgumentException>(() => registry.Call("add", null, empty));
        Assert.Throws<UdfExecutionException>(() => registry.Call("crash", null, empty));

        var add = registry.GetStatistics("add", "1.0.0");
        Assert.That(add.Name, Is.EqualTo("add"));
        Assert.That(add.Version, Is.EqualTo("1.0.0"));
        Assert.That(add.Backend, Is.EqualTo(registry.Backend.Name));
        Assert.That(add.Calls, Is.EqualTo(31));
        Assert.That(add.Errors, Is.EqualTo(1));
        Assert.That(add.ErrorRate, Is.EqualTo(1 / 31.0).Within(1e-12));
        Assert.That(add.Mean, Is.GreaterThan(TimeSpan.Zero));
        // A quick add may take less than one TimeSpan tick (100 ns): the median can round to zero.
        Assert.That(add.P50, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That(add.P50, Is.LessThanOrEqualTo(add.P95));
        Assert.That(add.P95, Is.LessThanOrEqualTo(add.P99));

        var crash = registry.GetStatistics("crash");
        Assert.That((crash.Calls, crash.Errors, crash.ErrorRate), Is.EqualTo((1L, 1L, 1.0)));
        Assert.That(registry.GetStatistics().Select(s => s.Name), Is.EqualTo(new[] { "add", "crash" }));
    }

    [Test]
    public void UnusedUdfsHaveEmptyStatistics()
    {
        using var registry = fixture.CreateRegistry();
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), Load(registry));
        var statistics = registry.GetStatistics("add");
        Assert.That((statistics.Calls, statistics.Errors, statistics.ErrorRate, statistics.P99), Is.EqualTo((0L, 0L, 0.0, TimeSpan.Zero)));
    }

    [Test]
    public void HistogramBucketsAreOrderedAndTight()
    {
        int previous = -1;
        foreach (long value in new long[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 65_535, 65_536, 1_000_000, long.MaxValue / 2 })
        {
            int bucket = DurationHistogram.BucketOf(value);
            Assert.That(bucket, Is.GreaterThanOrEqualTo(previous));
            previous = bucket;
            double midpoint = DurationHistogram.BucketMidpoint(bucket);
            Assert.That(Math.Abs(midpoint - value), Is.LessThanOrEqualTo(Math.Max(1, value * 0.07)), $"value {value}");
        }
    }

    [Test]
    public void PercentilesComeFromTheHistogram()
    {
        var histogram = new DurationHistogram();
        long ticksPerMicrosecond = System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        for (int i = 1; i <= 100; i++)
        {
            histogram.AddCalls(1, i > 90 ? 1 : 0);
            histogram.RecordDuration(i * ticksPerMicrosecond);
        }
        var statistics = histogram.Snapshot("h", "1.0.0");
        Assert.That(statistics.Calls, Is.EqualTo(100));
        Assert.That(statistics.Errors, Is.EqualTo(10));
        Assert.That(statistics.P50.TotalMicroseconds, Is.EqualTo(50).Within(4));
        Assert.That(statistics.P95.TotalMicroseconds, Is.EqualTo(95).Within(6));
        Assert.That(statistics.P99.TotalMicroseconds, Is.EqualTo(99).Within(7));
        Assert.That(statistics.Mean.TotalMicroseconds, Is.EqualTo(50.5).Within(0.1));
    }

    [Test]
    public void MeterInstrumentsAreTaggedWithNameVersionAndBackend()
    {
        string name = "metered_" + Guid.NewGuid().ToString("N")[..8];
        long calls = 0, errors = 0, durations = 0;
        var versions = new HashSet<string>();
        var backends = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == UdfRegistry.MeterName) l.EnableMeasurementEvents(instrument);
        };
        bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags, out string? version)
        {
            version = null;
            bool mine = false;
            string? backend = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "udf.name" && (string?)tag.Value == name) mine = true;
                if (tag.Key == "udf.version") version = (string?)tag.Value;
                if (tag.Key == "udf.backend") backend = (string?)tag.Value;
            }
            if (mine) lock (backends) backends.Add(backend ?? "(none)");
            return mine;
        }
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!Mine(tags, out var version)) return;
            lock (versions) versions.Add(version!);
            if (instrument.Name == "wasmkit.udf.calls") Interlocked.Add(ref calls, value);
            if (instrument.Name == "wasmkit.udf.errors") Interlocked.Add(ref errors, value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "wasmkit.udf.duration" && Mine(tags, out string? _) && value >= 0) Interlocked.Increment(ref durations);
        });
        listener.Start();

        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        registry.Register(Metadata(name, "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)) with { Version = "2.1.0" }, module);
        var empty = Document("{}");
        for (int i = 0; i < 5; i++) registry.Call(name, null, empty, new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 });
        Assert.Throws<UdfArgumentException>(() => registry.Call(name, null, empty));
        registry.Score(name, null, Products(4), new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 });

        Assert.That(calls, Is.EqualTo(10));
        Assert.That(errors, Is.EqualTo(1));
        Assert.That(durations, Is.EqualTo(9));
        Assert.That(versions, Is.EqualTo(new[] { "2.1.0" }));
        Assert.That(backends, Is.EqualTo(new[] { registry.Backend.Name }));
    }
}
