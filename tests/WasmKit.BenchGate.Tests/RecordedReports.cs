namespace WasmKit.BenchGate.Tests;

/// <summary>Paths of the recorded reports copied beside the test assembly (Reports/ in this project).</summary>
internal static class RecordedReports
{
    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Reports", name);

    public static string GatesFile => Path.Combine(AppContext.BaseDirectory, "Reports", "gates.json");

    public static IReadOnlyList<Gate> Gates => GateFile.Load(GatesFile);

    public static Gate TypedCall => Gates.Single(gate => gate.Name == "typed call");

    public static Gate Pool => Gates.Single(gate => gate.Name == "pool rent + reset + return");
}
