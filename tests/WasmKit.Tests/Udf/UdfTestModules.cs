using WasmKit.Backends;
using System.Text.Json;
using WasmKit.Tests.Support;
using WasmKit.Udf;

namespace WasmKit.Tests.Udf;

/// <summary>A WAT module with small UDFs that cover every type, strings, traps and endless loops.</summary>
internal static class UdfTestModules
{
    public const string Text = """
        (module
          (import "wasmkit" "get_field_float64" (func $get_f64 (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "price")
          (data (i32.const 8) "rating")
          (global $heap (mut i32) (i32.const 1024))
          (func (export "wasmkit_alloc") (param $size i32) (result i32) (local $start i32)
            (local.set $start (global.get $heap))
            (global.set $heap (i32.and (i32.add (i32.add (global.get $heap) (local.get $size)) (i32.const 7)) (i32.const -8)))
            (local.get $start))
          ;; price_below(limit f64) -> bool: price < limit; documents without a price are dropped.
          (func (export "price_below") (param $limit f64) (result i32)
            (if (i32.ne (call $get_f64 (i32.const 0) (i32.const 5) (i32.const 64)) (i32.const 0)) (then (return (i32.const 0))))
            (f64.lt (f64.load (i32.const 64)) (local.get $limit)))
          ;; weighted(weight f64) -> f64: rating * weight, 0 without a rating.
          (func (export "weighted") (param $weight f64) (result f64)
            (if (i32.ne (call $get_f64 (i32.const 8) (i32.const 6) (i32.const 64)) (i32.const 0)) (then (return (f64.const 0))))
            (f64.mul (f64.load (i32.const 64)) (local.get $weight)))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
          (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
          (func (export "not") (param i32) (result i32) (i32.eqz (local.get 0)))
          ;; byte_sum(text string) -> i32: the sum of the UTF-8 bytes.
          (func (export "byte_sum") (param $ptr i32) (param $len i32) (result i32) (local $sum i32)
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get $len)))
              (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $ptr))))
              (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
              (local.set $len (i32.sub (local.get $len) (i32.const 1)))
              (br $next)))
            (local.get $sum))
          ;; concat_len(a string, b string, extra i32) -> i32
          (func (export "concat_len") (param i32 i32 i32 i32 i32) (result i32)
            (i32.add (i32.add (local.get 1) (local.get 3)) (local.get 4)))
          ;; echo(text string) -> string
          (func (export "echo") (param $ptr i32) (param $len i32) (result i64)
            (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32)) (i64.extend_i32_u (local.get $len))))
          (func (export "divmod") (param i64 i64) (result i64 i64)
            (i64.div_s (local.get 0) (local.get 1)) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "nothing"))
          (func (export "crash") (result i32) unreachable)
          (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0))
          (global (export "counter") i32 (i32.const 0))
        )
        """;

    /// <summary>A module whose string UDF has no wasmkit_alloc export.</summary>
    public const string WithoutAlloc = """
        (module
          (memory (export "memory") 1)
          (func (export "length") (param i32 i32) (result i32) (local.get 1)))
        """;

    private static byte[]? s_bytes;
    private static byte[]? s_withoutAlloc;

    public static byte[] Bytes => s_bytes ??= Wat.ToWasm(Text);

    public static byte[] WithoutAllocBytes => s_withoutAlloc ??= Wat.ToWasm(WithoutAlloc);

    public static IBackendModule Load(UdfRegistry registry) => registry.Backend.Compile(Bytes, "udf-tests");

    public static UdfMetadata Metadata(string name, string export, UdfType[] returns, params UdfParameter[] parameters) => new()
    {
        Name = name,
        Version = "1.0.0",
        ExportName = export,
        Parameters = parameters,
        Returns = returns,
        Category = "test",
        Tags = ["test"],
        Author = "tests",
    };

    public static JsonElement Document(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement[] Products(int count) =>
        Enumerable.Range(0, count)
            .Select(i => Document($$"""{"id":"p{{i}}","price":{{i * 10}},"rating":{{i % 5}}}"""))
            .ToArray();
}
