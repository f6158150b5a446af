using System.Text.Json;

namespace WasmKit.Udf;

// The document sources: one document, a list of documents with ids and scores, a list of JSON elements.
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

internal readonly struct IndexedList(IReadOnlyList<IndexedDocument> documents) : IUdfDocumentSource
{
    public int Count => documents.Count;

    public UdfDocument this[int index] => new(documents[index]);
}
