namespace WasmKit.BenchGate;

/// <summary>Entry point; see <see cref="GateCommand"/> and BENCHMARKING.md ("CI gates").</summary>
public static class Program
{
    /// <summary>Runs <see cref="GateCommand"/> on the process's arguments, console and environment.</summary>
    public static int Main(string[] args) =>
        GateCommand.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}
