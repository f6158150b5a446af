namespace WasmKit.BenchGate;

/// <summary>The outcome of one gate.</summary>
public enum GateVerdict
{
    /// <summary>The median ratio is at or below the threshold.</summary>
    Pass,

    /// <summary>The median ratio is above the threshold: a regression (or a threshold to revisit).</summary>
    Exceeded,

    /// <summary>The benchmark or its baseline is absent or failed in a report, or in every report: the gate cannot be checked.</summary>
    Missing,
}
