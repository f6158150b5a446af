using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>Documents for one evaluation, read through a constrained generic so that a single document costs no allocation.</summary>
internal interface IUdfDocumentSource
{
    int Count { get; }

    UdfDocument this[int index] { get; }
}

internal readonly struct SingleDocument(UdfDocument document) : IUdfDocumentSource
{
    public int Count => 1;

    public UdfDocument this[int index] => document;
}

internal readonly struct DocumentList(IReadOnlyList<UdfDocument> documents) : IUdfDocumentSource
{
    public int Count => documents.Count;

    public UdfDocument this[int index] => documents[index];
}

internal readonly struct ElementList(IReadOnlyList<JsonElement> documents) : IUdfDocumentSource
{
    public int Count => documents.Count;

    public UdfDocument this[int index] => new(documents[index]);
}
