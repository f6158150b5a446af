namespace WasmKit.Udf;

/// <summary>A UDF was rejected at registration; the message names the UDF, the field and the problem.</summary>
public sealed class UdfValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="udfName">The UDF's name (as declared, possibly malformed).</param>
    /// <param name="field">The metadata field at fault, e.g. "version" or "parameters[1].default".</param>
    /// <param name="problem">What is wrong.</param>
    public UdfValidationException(string udfName, string field, string problem)
        : base($"UDF '{udfName}': {field}: {problem}")
    {
        UdfName = udfName;
        Field = field;
        Problem = problem;
    }

    /// <summary>The UDF's name as declared.</summary>
    public string UdfName { get; }

    /// <summary>The metadata field at fault.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the UDF and field names.</summary>
    public string Problem { get; }
}
