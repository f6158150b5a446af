using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>A document a UDF evaluates, with the identifier and search score the guest can read (get_document_id, get_score).</summary>
/// <param name="Content">The JSON document.</param>
/// <param name="Id">The document identifier, if any.</param>
/// <param name="Score">A score from an earlier stage, e.g. a full-text search.</param>
public readonly record struct UdfDocument(JsonElement Content, string? Id = null, double Score = 0)
{
    /// <summary>A document prepared as an <see cref="IndexedDocument"/>: the guest's field reads become hash lookups.</summary>
    /// <param name="document">The indexed document.</param>
    /// <param name="id">The document identifier, if any.</param>
    /// <param name="score">A score from an earlier stage.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public UdfDocument(IndexedDocument document, string? id = null, double score = 0)
        : this((document ?? throw new ArgumentNullException(nameof(document))).Root, id, score)
    {
        Indexed = document;
    }

    /// <summary>The indexed form of <see cref="Content"/>, when the document was made from one.</summary>
    public IndexedDocument? Indexed { get; init; }
}
