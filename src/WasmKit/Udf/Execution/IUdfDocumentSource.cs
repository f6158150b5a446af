namespace WasmKit.Udf;

/// <summary>Documents for one evaluation, read through a constrained generic so that a single document costs no allocation.</summary>
internal interface IUdfDocumentSource
{
    int Count { get; }

    UdfDocument this[int index] { get; }
}
