namespace WasmKit.SpecTests;

/// <summary>Finds the repository root, the spec test suite and the places the harness writes to.</summary>
internal static class SpecSuiteLocator
{
    public const string SuiteDirectoryVariable = "WASMKIT_SPECTEST_DIR";

    public const string HowToGetTheSuite =
        "The WebAssembly spec test suite was not found. Clone the public WebAssembly/testsuite repository at commit 3a04b2c " +
        "and set " + SuiteDirectoryVariable + " to it (or place it at <repo root>/../shared/spectest).";

    /// <summary>Shown on every spec case when the suite is missing on a developer machine.</summary>
    public const string SuiteMissingLocally =
        "WebAssembly conformance was NOT tested: " + HowToGetTheSuite;

    /// <summary>Fails every spec case when the suite is missing in CI.</summary>
    public const string SuiteMissingInCi =
        "CI=true but the spec suite is missing, so conformance would not be tested. " + HowToGetTheSuite;

    private static readonly Lazy<string?> LazyRepositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<string?> LazySuiteDirectory = new(FindSuiteDirectory);

    /// <summary>The folder holding WasmKit.sln(x), or null when the tests run outside a checkout.</summary>
    public static string? RepositoryRoot => LazyRepositoryRoot.Value;

    /// <summary>The suite folder (it contains core/), or null when it is nowhere to be found.</summary>
    public static string? SuiteDirectory => LazySuiteDirectory.Value;

    /// <summary>True on a CI runner (CI=true, as the common CI services set it): a missing suite is a failure there.</summary>
    public static bool IsContinuousIntegration =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string TestOutputDirectory => AppContext.BaseDirectory;

    /// <summary>Where converted scripts are cached: under the test build output, never in the repository.</summary>
    public static string CacheDirectory => Path.Combine(TestOutputDirectory, "spectest-cache");

    public static string ArtifactsDirectory => Path.Combine(RepositoryRoot ?? TestOutputDirectory, "artifacts");

    /// <summary>The committed baseline (source tree) when the checkout is known, else the copy in the build output.</summary>
    public static string BaselineSourcePath =>
        RepositoryRoot is string root
            ? Path.Combine(root, "tests", "WasmKit.SpecTests", SpecBaseline.FileName)
            : Path.Combine(TestOutputDirectory, SpecBaseline.FileName);

    /// <summary>The committed Wasmtime baseline, found like <see cref="BaselineSourcePath"/>.</summary>
    public static string WasmtimeBaselineSourcePath =>
        RepositoryRoot is string root
            ? Path.Combine(root, "tests", "WasmKit.SpecTests", SpecBaseline.WasmtimeFileName)
            : Path.Combine(TestOutputDirectory, SpecBaseline.WasmtimeFileName);

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestOutputDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln")))
                return dir.FullName;
        }
        return null;
    }

    // The checkout's sibling folder wins (that is how CI lays it out); the variable is the fallback.
    private static string? FindSuiteDirectory()
    {
        if (RepositoryRoot is string root)
        {
            string sibling = Path.GetFullPath(Path.Combine(root, "..", "shared", "spectest"));
            if (Directory.Exists(Path.Combine(sibling, "core"))) return sibling;
        }
        string? fromVariable = Environment.GetEnvironmentVariable(SuiteDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
        {
            string full = Path.GetFullPath(fromVariable);
            if (Directory.Exists(Path.Combine(full, "core"))) return full;
        }
        return null;
    }
}
