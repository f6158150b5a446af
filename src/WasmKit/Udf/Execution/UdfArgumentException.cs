namespace WasmKit.Udf;

/// <summary>A call passed arguments that do not fit the UDF's parameters (missing, unknown or of the wrong type).</summary>
public sealed class UdfArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="udf">"name@version" of the UDF.</param>
    /// <param name="parameterName">The parameter at fault.</param>
    /// <param name="problem">What is wrong.</param>
    public UdfArgumentException(string udf, string parameterName, string problem)
        : base($"UDF '{udf}': argument '{parameterName}': {problem}", parameterName)
    {
        Udf = udf;
        Problem = problem;
    }

    /// <summary>"name@version" of the UDF.</summary>
    public string Udf { get; }

    /// <summary>What is wrong, without the UDF and parameter names.</summary>
    public string Problem { get; }
}
