namespace WasmKit.Compilation;

/// <summary>
/// When the compiler moves regions of a function body into separate methods. The .NET JIT compiles a
/// method above fixed size limits (60,000 IL bytes, 20,000 IL instructions, 2,000 basic blocks, 2,000
/// locals, 8,000 local references) without optimisation whatever its tier, so a body larger than
/// <see cref="SplitBodyBytes"/> is split into methods of about <see cref="ThresholdBytes"/> each (see
/// <see cref="RegionPlan"/>).
/// </summary>
/// <param name="SplitBodyBytes">Bodies with more WebAssembly code bytes than this are split; smaller ones stay one method.</param>
/// <param name="ThresholdBytes">In a split body: frames with more code bytes than this are split, and a region holds about this much at most.</param>
/// <param name="MinimumRegionBytes">Regions smaller than this stay inline: the call and the copies of locals would cost more than they save.</param>
internal sealed record OutliningOptions(int SplitBodyBytes, int ThresholdBytes, int MinimumRegionBytes)
{
    /// <summary>
    /// From the large programs in fixtures/programs: the compiler emits 1.3 to 2.4 IL bytes per code byte
    /// there, so bodies up to 12,000 bytes stay well under the JIT's limits (ts_lex, 31,647 bytes, is
    /// optimised at 55,430 IL bytes; sqlite3VdbeExec, 50,209 bytes, was not). Splitting only bodies that need it
    /// keeps hot mid-sized functions whole: a region call and its copies of locals are not free.
    /// </summary>
    public static OutliningOptions Default { get; } = new(SplitBodyBytes: 9_000, ThresholdBytes: 4_500, MinimumRegionBytes: 48);
}
