namespace WasmKit;

/// <summary>
/// The module is valid WebAssembly but exceeds one of WasmKit's <see cref="ImplementationLimits"/>, which
/// keep compiling and running a module in time and memory proportional to its size. Raised when the
/// module is created, before any of its code runs; as a last line of defence also by a call whose
/// generated code the .NET runtime refused to compile.
/// </summary>
public sealed class WasmImplementationLimitException : WasmException
{
    /// <summary>Creates the exception for a limit a module exceeded.</summary>
    /// <param name="limit">The name of the limit, a constant of <see cref="ImplementationLimits"/> (e.g. <c>MaxLocals</c>).</param>
    /// <param name="value">The module's value.</param>
    /// <param name="maximum">The limit's value.</param>
    /// <param name="location">Where: e.g. <c>function 12</c>, or <c>module</c>.</param>
    public WasmImplementationLimitException(string limit, long value, long maximum, string location)
        : base($"implementation limit exceeded in {location}: {limit} is {maximum}, the module needs {value}")
    {
        Limit = limit;
        Value = value;
        Maximum = maximum;
        Location = location;
    }

    /// <summary>Creates the exception for code the .NET runtime refused to compile or load.</summary>
    /// <param name="location">Where: e.g. the exported function that was called.</param>
    /// <param name="inner">The runtime's exception.</param>
    public WasmImplementationLimitException(string location, Exception inner)
        : base($"implementation limit exceeded in {location}: the .NET runtime could not compile the generated code ({inner.GetType().Name}: {inner.Message})", inner)
    {
        Limit = GeneratedCodeLimit;
        Location = location;
    }

    /// <summary>The <see cref="Limit"/> reported when the .NET runtime refused the generated code itself.</summary>
    public const string GeneratedCodeLimit = "GeneratedCode";

    /// <summary>The name of the exceeded limit: a constant of <see cref="ImplementationLimits"/>, or <see cref="GeneratedCodeLimit"/>.</summary>
    public string Limit { get; }

    /// <summary>The module's value for the limit, when known.</summary>
    public long? Value { get; }

    /// <summary>The limit's value, when it is one of <see cref="ImplementationLimits"/>.</summary>
    public long? Maximum { get; }

    /// <summary>Where the limit was exceeded: a function (<c>function N</c>) or the <c>module</c>.</summary>
    public string Location { get; }
}
