using System.Diagnostics;
using System.Text.Json;

namespace WasmKit.Benchmarks;

/// <summary>Shared pieces of the UDF benchmarks: fixture paths, documents, and small WAT modules compiled with wabt.</summary>
internal static class UdfBenchmarkSupport
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string UdfFixture(string name) => Path.Combine(Root.Value, "fixtures", "udf", name);

    /// <summary>The 50 product documents of fixtures/udf/documents.json.</summary>
    public static JsonElement[] Products()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(UdfFixture("documents.json")));
        return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>
    /// A tiny UDF module: read_reviews() reads the integer field "reviews" once with get_field_int64; sum_reviews(n)
    /// reads it n times in a guest loop and sums the values; touch() writes one byte (so a reset has a dirty chunk to
    /// restore); memory is one page.
    /// </summary>
    public const string TinyUdfText = """
        (module
          (import "wasmkit" "get_field_int64" (func $get_i64 (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1 1)
          (data (i32.const 0) "reviews")
          (func (export "read_reviews") (result i64)
            (if (i32.ne (call $get_i64 (i32.const 0) (i32.const 7) (i32.const 16)) (i32.const 0)) (then (return (i64.const -1))))
            (i64.load (i32.const 16)))
          (func (export "sum_reviews") (param $n i32) (result i64)
            (local $sum i64)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (if (i32.ne (call $get_i64 (i32.const 0) (i32.const 7) (i32.const 16)) (i32.const 0)) (then (return (i64.const -1))))
                (local.set $sum (i64.add (local.get $sum) (i64.load (i32.const 16))))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $sum))
          (func (export "touch") (i32.store8 (i32.const 1024) (i32.const 1))))
        """;

    /// <summary>Compiles WebAssembly text with wabt's wat2wasm (installed by scripts/test.sh).</summary>
    public static byte[] Wat(string text)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkit-bench-");
        try
        {
            string input = Path.Combine(directory.FullName, "module.wat");
            string output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(input, text);
            using var process = Process.Start(new ProcessStartInfo("wat2wasm", [input, "-o", output]) { RedirectStandardError = true })
                ?? throw new InvalidOperationException("wat2wasm did not start.");
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("wat2wasm failed: " + errors);
            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No WasmKit.sln above {AppContext.BaseDirectory}; run the benchmarks from inside the repository.");
    }
}
