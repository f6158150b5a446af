using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WasmKit.Messaging;

/// <summary>
/// The broker's instruments on the "WasmKit" meter, tagged <c>wasmkit.endpoint</c>: counters observed from the
/// mailboxes' own counters (so sending costs nothing extra), the queue depth, and the sampled latency histogram.
/// </summary>
internal sealed class MessagingMeterInstruments : IDisposable
{
    public const string MeterName = "WasmKit";
    private const string EndpointTag = "wasmkit.endpoint";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _latency;

    public MessagingMeterInstruments(IMeterFactory? factory, Func<IReadOnlyList<MessageEndpoint>> endpoints)
    {
        // A factory owns the meters it creates (and may share them); only a meter made here is disposed here.
        _ownsMeter = factory is null;
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("wasmkit.messaging.sent", () => Observe(endpoints(), static e => e.Mailbox.Sent), "{message}", "Messages accepted into a mailbox.");
        _meter.CreateObservableCounter("wasmkit.messaging.delivered", () => Observe(endpoints(), static e => e.Mailbox.Delivered), "{message}", "Messages handled.");
        _meter.CreateObservableCounter("wasmkit.messaging.failed", () => Observe(endpoints(), static e => e.Mailbox.Failed), "{message}", "Messages lost by a failing or trapping handler.");
        _meter.CreateObservableCounter("wasmkit.messaging.dropped", () => Observe(endpoints(), static e => e.Mailbox.Dropped), "{message}", "Messages dropped at a full mailbox or at unloading.");
        _meter.CreateObservableCounter("wasmkit.messaging.rejected", () => Observe(endpoints(), static e => e.RejectedSends), "{message}", "Sends refused at the sender.");
        _meter.CreateObservableGauge("wasmkit.messaging.queue_depth", () => Observe(endpoints(), static e => Volatile.Read(ref e.Mailbox.Depth)), "{message}", "Messages waiting in a mailbox.");
        _latency = _meter.CreateHistogram<double>("wasmkit.messaging.latency", "ms", "Time from send to the start of the handler (sampled).");
    }

    /// <summary>Records a sampled latency, in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordLatency(MessageEndpoint endpoint, long elapsedTicks)
    {
        if (!_latency.Enabled) return;
        _latency.Record(elapsedTicks * 1000.0 / Stopwatch.Frequency, new KeyValuePair<string, object?>(EndpointTag, endpoint.Name));
    }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }

    private static IEnumerable<Measurement<long>> Observe(IReadOnlyList<MessageEndpoint> endpoints, Func<MessageEndpoint, long> read)
    {
        foreach (var endpoint in endpoints)
            yield return new Measurement<long>(read(endpoint), new KeyValuePair<string, object?>(EndpointTag, endpoint.Name));
    }
}
