using System.Globalization;
using System.Text;

namespace WasmKit.BenchGate;

/// <summary>Writes the gate results as a Markdown table with a one-line verdict (job summary and console).</summary>
public static class MarkdownReport
{
    /// <summary>The whole report: heading, host line, the table, problems, and the verdict line.</summary>
    public static string Render(IReadOnlyList<GateResult> results, int reportCount, IEnumerable<string> hosts)
    {
        var text = new StringBuilder();
        text.AppendLine("## Benchmark gates");
        text.AppendLine();
        text.AppendLine(Invariant($"Ratio = gated benchmark mean / baseline mean in the same run; median over {reportCount} report file(s). Absolute times are not gated."));
        foreach (string host in hosts.Distinct(StringComparer.Ordinal))
            text.AppendLine(Invariant($"Host: {Escape(host)}"));
        text.AppendLine();
        text.AppendLine("| Gate | Benchmark | Baseline | Ratio per launch | Median | Threshold | Result |");
        text.AppendLine("|---|---|---|---|---:|---:|---|");
        foreach (var result in results)
        {
            string perLaunch = result.Ratios.Count == 0 ? "–" : string.Join(", ", result.Ratios.Select(Number));
            string median = result.Median is double value ? Number(value) : "–";
            text.AppendLine(Invariant(
                $"| {Escape(result.Gate.Name)} | `{Escape(result.Gate.Benchmark)}` | `{Escape(result.Gate.Baseline)}` | {perLaunch} | {median} | {Number(result.Gate.Threshold)} | {Outcome(result.Verdict)} |"));
        }

        var problems = results.Where(result => result.Problem is not null).ToList();
        if (problems.Count > 0)
        {
            text.AppendLine();
            foreach (var result in problems)
                text.AppendLine(Invariant($"- {Escape(result.Gate.Name)}: {Escape(result.Problem!)}"));
        }

        text.AppendLine();
        text.AppendLine(Verdict(results));
        return text.ToString();
    }

    /// <summary>The last line: "PASS: all N gates ..." or "FAIL: k of N gates ...", naming the failed gates.</summary>
    public static string Verdict(IReadOnlyList<GateResult> results)
    {
        var failed = results.Where(result => !result.Passed).ToList();
        if (failed.Count == 0)
            return Invariant($"**PASS**: all {results.Count} gates within their thresholds.");
        return Invariant($"**FAIL**: {failed.Count} of {results.Count} gates failed: {string.Join(", ", failed.Select(result => $"{Escape(result.Gate.Name)} ({Outcome(result.Verdict)})"))}.");
    }

    private static string Outcome(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "pass",
        GateVerdict.Exceeded => "**exceeded**",
        _ => "**missing**",
    };

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    // A '|' inside a cell would split it into two columns.
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
