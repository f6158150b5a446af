namespace WasmKit.Fuzz;

/// <summary>What happened to one seed; one JSON line of results.jsonl.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Outcome">One of the <see cref="Outcomes"/> constants.</param>
/// <param name="Category">For mismatches and crashes, the finer kind (e.g. <c>nan-bits</c>, <c>unexplained:trap-kind</c>, an exception type).</param>
/// <param name="Detail">A one-line explanation: the first differing lines, or the exception message.</param>
/// <param name="ReferenceTypes">Whether the module was generated with reference types (see <see cref="Binaryen.Validate"/>).</param>
public sealed record SeedResult(long Seed, string Outcome, string Category, string Detail, bool ReferenceTypes = false);

/// <summary>The outcomes a seed can have.</summary>
public static class Outcomes
{
    /// <summary>Both engines printed the same (normalized) output.</summary>
    public const string Match = "match";

    /// <summary>The outputs differ; <see cref="SeedResult.Category"/> says whether that is explained.</summary>
    public const string Mismatch = "mismatch";

    /// <summary>WasmKit threw something other than a trap, or its process died.</summary>
    public const string Crash = "crash";

    /// <summary>WasmKit did not finish the module in time.</summary>
    public const string Hang = "hang";

    /// <summary>wasm-opt failed to make or run the module; the seed is skipped.</summary>
    public const string BinaryenFailure = "binaryen-failure";

    /// <summary>The module needs a host the fuzzer does not provide; the seed is skipped.</summary>
    public const string Unsupported = "unsupported";
}
