namespace WasmKit.Benchmarks;

/// <summary>Finds and loads the committed guest modules in the repository's fixtures folder.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> FixturesRoot = new(FindFixtures);

    /// <summary>The repository's fixtures folder.</summary>
    public static string Root => FixturesRoot.Value;

    private static string WasmDirectory => Path.Combine(Root, "wasm");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(WasmDirectory, name));

    public static Module Load(Engine engine, string name) => Module.FromBytes(engine, Read(name), Path.GetFileNameWithoutExtension(name));

    // BenchmarkDotNet runs each benchmark from a generated project below bin/, still inside the
    // repository, so walking up to the solution file finds the fixtures in both cases.
    private static string FindFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln")))
                return Path.Combine(dir.FullName, "fixtures");
        }
        throw new DirectoryNotFoundException($"No WasmKit.sln above {AppContext.BaseDirectory}; run the benchmarks from inside the repository.");
    }
}
