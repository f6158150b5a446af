namespace WasmKit.Udf;

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
