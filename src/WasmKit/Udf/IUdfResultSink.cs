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

/// <summary>Keeps the results of one call.</summary>
internal struct AllResultsSink : IUdfResultSink
{
    public UdfValue First;
    public UdfValue[]? Values;

    public void Accept(int index, UdfValue value, UdfValue[]? all)
    {
        First = value;
        Values = all;
    }
}

/// <summary>Keeps the indices of documents whose bool result is true.</summary>
internal struct FilterSink(List<int> kept) : IUdfResultSink
{
    public readonly void Accept(int index, UdfValue value, UdfValue[]? all)
    {
        if (value.AsBoolean()) kept.Add(index);
    }
}

/// <summary>Stores f64 scores (f32 and integers are widened).</summary>
internal struct ScoreSink(double[] scores) : IUdfResultSink
{
    public readonly void Accept(int index, UdfValue value, UdfValue[]? all) => scores[index] = value.Type switch
    {
        UdfType.F64 => value.AsDouble(),
        UdfType.F32 => value.AsSingle(),
        UdfType.I32 => value.AsInt32(),
        UdfType.I64 => value.AsInt64(),
        _ => throw new InvalidOperationException($"Scores must be numbers, not {value.Type.ToManifestName()}."),
    };
}

/// <summary>Stores results converted to <typeparamref name="TResult"/>.</summary>
internal struct TypedSink<TResult>(TResult[] results) : IUdfResultSink
{
    public readonly void Accept(int index, UdfValue value, UdfValue[]? all) => results[index] = UdfResultConversion.To<TResult>(value);
}
