namespace WasmKit.Messaging;

/// <summary>A snapshot of one endpoint's counters.</summary>
/// <param name="Name">The endpoint.</param>
/// <param name="Sent">Messages and requests accepted into its mailbox.</param>
/// <param name="Delivered">Those its handler handled.</param>
/// <param name="Failed">Those its handler failed or trapped on (lost, and reported through <see cref="MessageBrokerOptions.DeliveryFailed"/>).</param>
/// <param name="Dropped">Messages dropped at its mailbox: full under <see cref="BackpressurePolicy.DropNewest"/>, or rejected at unloading.</param>
/// <param name="Rejected">Messages and requests this endpoint sent that were refused (unknown target, not allowed, too large, unknown codec, full mailbox).</param>
/// <param name="QueueDepth">Messages waiting in its mailbox now.</param>
/// <param name="LatencyP50">The median time from send to the start of the handler (sampled; about 6% resolution).</param>
/// <param name="LatencyP95">The 95th percentile of that time.</param>
/// <param name="LatencyP99">The 99th percentile of that time.</param>
public sealed record MessageEndpointStatistics(
    string Name, long Sent, long Delivered, long Failed, long Dropped, long Rejected, int QueueDepth,
    TimeSpan LatencyP50, TimeSpan LatencyP95, TimeSpan LatencyP99);
