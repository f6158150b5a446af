using System.Diagnostics.Metrics;

namespace WasmKit.Udf;

/// <summary>The registry's System.Diagnostics.Metrics instruments on a Meter named "WasmKit", tagged udf.name, udf.version and udf.backend (the backend's name).</summary>
internal sealed class UdfMeterInstruments : IDisposable
{
    public const string MeterName = "WasmKit";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public UdfMeterInstruments(IMeterFactory? factory)
    {
        // A factory owns the meters it creates (and may share them); only a meter made here is disposed here.
        _ownsMeter = factory is null;
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        Calls = _meter.CreateCounter<long>("wasmkit.udf.calls", unit: "{call}", description: "UDF evaluations started.");
        Errors = _meter.CreateCounter<long>("wasmkit.udf.errors", unit: "{call}", description: "UDF evaluations that failed.");
        Duration = _meter.CreateHistogram<double>("wasmkit.udf.duration", unit: "ms", description: "Duration of one UDF evaluation.");
    }

    public Counter<long> Calls { get; }

    public Counter<long> Errors { get; }

    public Histogram<double> Duration { get; }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
