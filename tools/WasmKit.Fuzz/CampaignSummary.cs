using System.Text;
using System.Text.Json;

namespace WasmKit.Fuzz;

/// <summary>Counts over a results file: what fuzz.sh prints and the fuzz test asserts on.</summary>
public sealed record CampaignSummary(
    int Generated,
    int Compared,
    int Matched,
    int Mismatched,
    int ExplainedMismatches,
    int UnexplainedMismatches,
    int Crashes,
    int Hangs,
    int BinaryenFailures,
    int Unsupported,
    IReadOnlyDictionary<string, int> MismatchCategories,
    IReadOnlyDictionary<string, int> CrashCategories,
    IReadOnlyDictionary<string, int> BinaryenFailureCategories)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Whether the campaign found nothing to look at: no crash, hang or unexplained mismatch.</summary>
    public bool IsClean => Crashes == 0 && Hangs == 0 && UnexplainedMismatches == 0;

    /// <summary>Summarizes results.</summary>
    public static CampaignSummary From(IReadOnlyList<SeedResult> results)
    {
        static Dictionary<string, int> CountBy(IEnumerable<SeedResult> rs) =>
            rs.GroupBy(r => r.Category).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

        var mismatches = results.Where(r => r.Outcome == Outcomes.Mismatch).ToList();
        int explained = mismatches.Count(r => Fuzz.MismatchCategories.IsExplained(r.Category));
        int crashes = results.Count(r => r.Outcome == Outcomes.Crash);
        int hangs = results.Count(r => r.Outcome == Outcomes.Hang);
        return new CampaignSummary(
            Generated: results.Count,
            Compared: results.Count(r => r.Outcome is Outcomes.Match or Outcomes.Mismatch),
            Matched: results.Count(r => r.Outcome == Outcomes.Match),
            Mismatched: mismatches.Count,
            ExplainedMismatches: explained,
            UnexplainedMismatches: mismatches.Count - explained,
            Crashes: crashes,
            Hangs: hangs,
            BinaryenFailures: results.Count(r => r.Outcome == Outcomes.BinaryenFailure),
            Unsupported: results.Count(r => r.Outcome == Outcomes.Unsupported),
            MismatchCategories: CountBy(mismatches),
            CrashCategories: CountBy(results.Where(r => r.Outcome is Outcomes.Crash or Outcomes.Hang)),
            BinaryenFailureCategories: CountBy(results.Where(r => r.Outcome == Outcomes.BinaryenFailure)));
    }

    /// <summary>The summary as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The summary for people.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"generated:          {Generated}");
        text.AppendLine($"binaryen failures:  {BinaryenFailures} (skipped){Breakdown(BinaryenFailureCategories)}");
        text.AppendLine($"unsupported:        {Unsupported} (skipped)");
        text.AppendLine($"compared:           {Compared}");
        text.AppendLine($"matched:            {Matched}");
        text.AppendLine($"mismatched:         {Mismatched} ({ExplainedMismatches} explained, {UnexplainedMismatches} unexplained){Breakdown(MismatchCategories)}");
        text.AppendLine($"wasmkit crashes:    {Crashes}");
        text.Append($"wasmkit hangs:      {Hangs}{Breakdown(CrashCategories)}");
        return text.ToString();
    }

    private static string Breakdown(IReadOnlyDictionary<string, int> counts) =>
        string.Concat(counts.Select(kv => $"\n    {kv.Key}: {kv.Value}"));
}
