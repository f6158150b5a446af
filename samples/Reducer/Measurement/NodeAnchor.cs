using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using WasmKit.Reducers;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// Runs the same bank_ledger.wasm under node's V8 (bench/node/reducer.mjs) as a child process, on inputs
/// written to a temporary directory, and checks that V8 reached the same state as the C# reducer.
/// </summary>
public static class NodeAnchor
{
    /// <summary>What node measured for one format.</summary>
    /// <param name="NanosecondsPerBatch">The median over node's runs.</param>
    /// <param name="SameState">Whether node's state after one pass over the batches equals C#'s, byte for byte.</param>
    public sealed record Result(double NanosecondsPerBatch, bool SameState);

    /// <summary>Runs node; null (with a reason on stderr) when node is missing or fails.</summary>
    /// <param name="repositoryRoot">The repository root (for bench/node/reducer.mjs).</param>
    /// <param name="world">The accounts.</param>
    /// <param name="batches">The batches, applied once in order for the check, then cycled for timing.</param>
    /// <param name="transferFee">The loaded data.</param>
    /// <returns>Per format, node's figures.</returns>
    public static IReadOnlyDictionary<ReducerFormat, Result>? Run(string repositoryRoot, (uint Id, long Balance)[] world, LedgerCommand[][] batches, long transferFee)
    {
        string script = Path.Combine(repositoryRoot, "bench", "node", "reducer.mjs");
        var directory = Directory.CreateTempSubdirectory("wasmkit-reducer-");
        try
        {
            var expected = new Dictionary<ReducerFormat, string>();
            foreach (var format in new[] { ReducerFormat.Binary, ReducerFormat.Json })
            {
                string extension = format == ReducerFormat.Binary ? "binary" : "json";
                var ledger = new BankLedger(world);
                File.WriteAllBytes(Path.Combine(directory.FullName, $"world.{extension}"), LedgerCodec.EncodeState(ledger, format));
                File.WriteAllBytes(Path.Combine(directory.FullName, $"data.{extension}"), LedgerCodec.EncodeData(transferFee, format));
                var output = new ArrayBufferWriter<byte>();
                var effects = new List<LedgerEffect>();
                foreach (var batch in batches)
                {
                    LedgerCodec.EncodeCommands(batch, format, output);
                    if (format == ReducerFormat.Json) output.Write("\n"u8);
                    ledger.Apply(batch, transferFee, effects);
                }
                File.WriteAllBytes(Path.Combine(directory.FullName, $"batches.{extension}"), output.WrittenSpan.ToArray());
                expected[format] = Convert.ToHexStringLower(SHA256.HashData(LedgerCodec.EncodeState(ledger, format)));
            }

            var start = new ProcessStartInfo("node", [script, directory.FullName]) { RedirectStandardOutput = true, RedirectStandardError = true };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine("node is not installed: the V8 column stays empty.");
                return null;
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    Console.Error.WriteLine("node took over 2 minutes: the V8 column stays empty.");
                    return null;
                }
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine($"node failed ({process.ExitCode}): {stderr.Result}");
                    return null;
                }
                using var json = JsonDocument.Parse(stdout.Result);
                var results = new Dictionary<ReducerFormat, Result>();
                foreach (var (format, name) in new[] { (ReducerFormat.Binary, "binary"), (ReducerFormat.Json, "json") })
                {
                    var entry = json.RootElement.GetProperty(name);
                    var times = entry.GetProperty("nsPerBatch").EnumerateArray().Select(t => t.GetDouble()).Order().ToArray();
                    results[format] = new Result(times[times.Length / 2], entry.GetProperty("stateSha256").GetString() == expected[format]);
                }
                return results;
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
