namespace WasmKit.BenchGate;

/// <summary>The gate file or the reports cannot be used at all (as opposed to a gate that fails).</summary>
public sealed class GateInputException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public GateInputException(string message) : base(message) { }
}
