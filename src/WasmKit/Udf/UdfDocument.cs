using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>A document a UDF evaluates, with the identifier and search score the guest can read (get_document_id, get_score).</summary>
/// <param name="Content">The JSON document.</param>
/// <param name="Id">The document identifier, if any.</param>
/// <param name="Score">A score from an earlier stage, e.g. a full-text search.</param>
public readonly record struct UdfDocument(JsonElement Content, string? Id = null, double Score = 0);
