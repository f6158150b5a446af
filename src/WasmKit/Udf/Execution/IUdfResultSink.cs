namespace WasmKit.Udf;

/// <summary>Receives batch results without boxing (implemented by structs, called through a constrained generic).</summary>
internal interface IUdfResultSink
{
    /// <summary>One document's result.</summary>
    /// <param name="index">The document's index in the batch.</param>
    /// <param name="value">The first (usually only) result.</param>
    /// <param name="all">Every result when the UDF went through the untyped path, otherwise <see langword="null"/>.</param>
    void Accept(int index, UdfValue value, UdfValue[]? all);
}
