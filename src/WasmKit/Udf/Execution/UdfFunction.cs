using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>
/// A typed handle on one registered UDF version with its arguments bound: name, version, defaults, type checks and
/// argument lowering are done once, so each call rents an instance, runs the export through a typed delegate and
/// converts the result without boxing. Thread-safe; get one from <see cref="UdfRegistry.GetFunction{TResult}"/>.
/// Once its version is unregistered (or replaced by a refresh) and the calls running on it have ended, calls
/// through the handle throw <see cref="UdfNotFoundException"/>: get a new handle.
/// </summary>
/// <typeparam name="TResult">The .NET type of the UDF's result.</typeparam>
public sealed class UdfFunction<TResult>
{
    private readonly UdfEntry _entry;
    private readonly UdfPreparedArguments _arguments;

    internal UdfFunction(UdfEntry entry, UdfPreparedArguments arguments)
    {
        _entry = entry;
        _arguments = arguments;
    }

    /// <summary>The UDF's metadata.</summary>
    public UdfMetadata Metadata => _entry.Metadata;

    /// <summary>The bound version.</summary>
    public UdfVersion Version => _entry.Version;

    /// <summary>A handle on the same UDF version with other arguments.</summary>
    /// <param name="arguments">Named arguments.</param>
    /// <returns>The new handle.</returns>
    /// <exception cref="UdfArgumentException">An argument is missing, unknown or of the wrong type.</exception>
    public UdfFunction<TResult> WithArguments(IReadOnlyDictionary<string, object?>? arguments) => new(_entry, _entry.Prepare(arguments));

    /// <summary>Evaluates the UDF on one document.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The result.</returns>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public TResult Invoke(JsonElement document) => Invoke(new UdfDocument(document));

    /// <summary>Evaluates the UDF on one indexed document (the fastest form for field reads).</summary>
    /// <param name="document">The document.</param>
    /// <returns>The result.</returns>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public TResult Invoke(IndexedDocument document) => Invoke(new UdfDocument(document));

    /// <summary>Evaluates the UDF on one document with an identifier and a search score.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The result.</returns>
    /// <exception cref="UdfExecutionException">The UDF trapped, ran out of fuel or timed out.</exception>
    public TResult Invoke(UdfDocument document) => _entry.EvaluateSingle<TResult>(_arguments, document);

    /// <summary>Evaluates the UDF on every document in one pooled instance.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>One result per document, in order.</returns>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public TResult[] Evaluate(IReadOnlyList<JsonElement> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new TResult[documents.Count];
        var sink = new TypedSink<TResult>(results);
        _entry.Evaluate(_arguments, new ElementList(documents), ref sink);
        return results;
    }

    /// <summary>Evaluates the UDF on every indexed document in one pooled instance.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>One result per document, in order.</returns>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public TResult[] Evaluate(IReadOnlyList<IndexedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new TResult[documents.Count];
        var sink = new TypedSink<TResult>(results);
        _entry.Evaluate(_arguments, new IndexedList(documents), ref sink);
        return results;
    }

    /// <summary>Evaluates the UDF on every document (with identifiers and scores) in one pooled instance.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>One result per document, in order.</returns>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public TResult[] Evaluate(IReadOnlyList<UdfDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new TResult[documents.Count];
        var sink = new TypedSink<TResult>(results);
        _entry.Evaluate(_arguments, new DocumentList(documents), ref sink);
        return results;
    }

    /// <summary>The indices of the documents for which a bool UDF returns true, in one pooled instance.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>The indices, ascending.</returns>
    /// <exception cref="InvalidOperationException">The UDF does not return bool.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public IReadOnlyList<int> Filter(IReadOnlyList<JsonElement> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (_entry.Returns is not [UdfType.Bool]) throw new InvalidOperationException($"UDF '{_entry.DisplayName}' does not return bool.");
        var kept = new List<int>();
        var sink = new FilterSink(kept);
        _entry.Evaluate(_arguments, new ElementList(documents), ref sink);
        return kept;
    }

    /// <summary>The indices of the indexed documents for which a bool UDF returns true, in one pooled instance.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>The indices, ascending.</returns>
    /// <exception cref="InvalidOperationException">The UDF does not return bool.</exception>
    /// <exception cref="UdfExecutionException">The UDF failed on a document.</exception>
    public IReadOnlyList<int> Filter(IReadOnlyList<IndexedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (_entry.Returns is not [UdfType.Bool]) throw new InvalidOperationException($"UDF '{_entry.DisplayName}' does not return bool.");
        var kept = new List<int>();
        var sink = new FilterSink(kept);
        _entry.Evaluate(_arguments, new IndexedList(documents), ref sink);
        return kept;
    }

    /// <summary>"name@version".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _entry.DisplayName;
}
