namespace WasmKit.Udf;

/// <summary>A UDF failed while running: it trapped, ran out of fuel, timed out or its host calls failed.</summary>
public sealed class UdfExecutionException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="udf">"name@version" of the UDF.</param>
    /// <param name="documentIndex">The document's index in a batch, or -1 for a single call.</param>
    /// <param name="inner">The underlying failure, usually a <see cref="WasmTrapException"/>.</param>
    public UdfExecutionException(string udf, int documentIndex, Exception inner)
        : base($"UDF '{udf}' failed" + (documentIndex >= 0 ? $" on document {documentIndex}" : "") + $": {inner.Message}", inner)
    {
        Udf = udf;
        DocumentIndex = documentIndex;
    }

    /// <summary>"name@version" of the UDF.</summary>
    public string Udf { get; }

    /// <summary>The document's index in a batch, or -1 for a single call.</summary>
    public int DocumentIndex { get; }

    /// <summary>The trap code when the UDF trapped (including out of fuel and interruption).</summary>
    public TrapCode? TrapCode => (InnerException as WasmTrapException)?.Code;
}
