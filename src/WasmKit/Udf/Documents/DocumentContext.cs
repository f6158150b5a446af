using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace WasmKit.Udf;

/// <summary>
/// The document a UDF call works on, read by the guest through the "wasmkit" host functions of
/// <see cref="DocumentHostFunctions"/>. Make it an instance's host state (<see cref="WasmKit.Backends.BackendInstanceOptions.CreateHostState"/>;
/// on the managed engine that is the store's <see cref="Store.Data"/>): one context per
/// store (for pools, one per pooled instance), reused from call to call. Not thread-safe, like the store.
/// </summary>
public sealed class DocumentContext : IResettable
{
    private JsonElement _document;
    private IndexedDocument? _indexed;

    /// <summary>The registry's deadline for the guest code run in this context's store (start, alloc, evaluations); null outside a registry or without a timeout.</summary>
    internal UdfDeadline? Deadline { get; set; }

    /// <summary>Whether a document is set.</summary>
    public bool HasDocument { get; private set; }

    /// <summary>The current document; <c>default</c> when none is set.</summary>
    public JsonElement Document => _indexed?.Root ?? _document;

    /// <summary>The current document's index, when it was set as an <see cref="IndexedDocument"/>; reads then use it.</summary>
    public IndexedDocument? Indexed => _indexed;

    /// <summary>The current document's id, if one was given.</summary>
    public string? DocumentId { get; private set; }

    /// <summary>The current document's search score.</summary>
    public double Score { get; private set; }

    /// <summary>Receives the guest's <c>log</c> messages; they are dropped when null.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Makes <paramref name="document"/> the current document. Keeps a reference, copies nothing.</summary>
    /// <param name="document">The document; its <see cref="JsonDocument"/> must stay undisposed while the guest reads it.</param>
    /// <param name="id">The document's id, for <c>get_document_id</c>.</param>
    /// <param name="score">The document's search score, for <c>get_score</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="document"/> is <c>default</c>.</exception>
    public void SetDocument(JsonElement document, string? id = null, double score = 0)
    {
        if (document.ValueKind == JsonValueKind.Undefined)
            throw new ArgumentException("The document is an undefined (default) JsonElement.", nameof(document));
        _document = document;
        _indexed = null;
        DocumentId = id;
        Score = score;
        HasDocument = true;
    }

    /// <summary>Makes an indexed document the current document: field reads become hash lookups. Copies nothing.</summary>
    /// <param name="document">The document.</param>
    /// <param name="id">The document's id, for <c>get_document_id</c>.</param>
    /// <param name="score">The document's search score, for <c>get_score</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public void SetDocument(IndexedDocument document, string? id = null, double score = 0)
    {
        ArgumentNullException.ThrowIfNull(document);
        // Document reads the element from the index: one reference store less per document.
        _document = default;
        _indexed = document;
        // Most documents have no id: skipping the null-over-null store skips its GC write barrier.
        if (id is not null || DocumentId is not null) DocumentId = id;
        Score = score;
        HasDocument = true;
    }

    /// <summary>Makes a UDF document (indexed or not) the current document, with its id and score.</summary>
    /// <param name="document">The document.</param>
    /// <exception cref="ArgumentException"><paramref name="document"/> has neither an index nor a defined element.</exception>
    public void SetDocument(in UdfDocument document)
    {
        if (document.Indexed is { } indexed) SetDocument(indexed, document.Id, document.Score);
        else SetDocument(document.Content, document.Id, document.Score);
    }

    /// <summary>Forgets the current document, id and score (the log callback stays).</summary>
    public void Clear()
    {
        _document = default;
        _indexed = null;
        DocumentId = null;
        Score = 0;
        HasDocument = false;
    }

    /// <summary>Clears the document for the next pooled use (an <c>WasmKit.Pooling.InstancePool</c> hook); always succeeds.</summary>
    /// <returns><see langword="true"/>.</returns>
    public bool TryReset()
    {
        Clear();
        return true;
    }

    /// <summary>Finds the value a path names in the current document.</summary>
    /// <param name="path">A path such as <c>specs.dims[2].w</c>.</param>
    /// <param name="value">The value found.</param>
    /// <returns>The status the guest would see.</returns>
    public DocumentStatus TryGetField(string path, out JsonElement value)
    {
        value = default;
        return HasDocument ? FieldPath.Resolve(Document, path, out value) : DocumentStatus.NoDocument;
    }
}
