// UdfSearch: product search with user-defined functions (UDFs) written in C and AssemblyScript,
// compiled to WebAssembly and run by WasmKit's UDF registry.
// Run from the repository root: dotnet run --project samples/UdfSearch [-- --engine wasmtime]
//
// The pipeline over fixtures/udf/documents.json (50 products):
//   1. string_distance  keeps products whose name is within 3 edits of the query   (C, fuzzy match)
//   2. path_compare     keeps products with price < 800                            (C, JSON-path filter)
//   3. levenshtein      gives each survivor a search score from its edit distance  (C, named-argument call)
//   4. custom_score     ranks them from search score, rating, price and stock      (AssemblyScript)
// and finally prints the registry's per-UDF statistics.
using System.Globalization;
using System.Text.Json;
using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Udf;
using WasmKit.Wasmtime;

const string Query = "iPhone 15";
string fixtures = Path.Combine(FindRepositoryRoot(), "fixtures", "udf");

// --engine managed (the default) or wasmtime: the same registry, loader and UDFs on either backend.
string engineName = args.SkipWhile(a => a != "--engine").Skip(1).FirstOrDefault() ?? "managed";
using WasmtimeBackend? wasmtime = engineName switch
{
    "wasmtime" => new WasmtimeBackend(),
    "managed" => null,
    _ => throw new ArgumentException($"--engine {engineName}: expected managed or wasmtime."),
};

// The registry runs on a backend with resettable instances (pooling), fuel and interruption (limits):
// without one given, the managed engine of its own. The loader must compile with that same backend.
using var registry = new UdfRegistry(new UdfRegistryOptions { Backend = wasmtime });
var loader = new ComponentLoader(registry.Backend);
Console.WriteLine($"engine: {registry.Backend.Name}");
Console.WriteLine();

// Each component is NAME.wasm with a manifest NAME.json that declares its UDFs (parameters, types,
// defaults, tags) and limits (memory pages, fuel, timeout). Registering checks every UDF against the
// export's WebAssembly signature, so a mismatch fails here rather than on the first call.
foreach (string name in new[] { "string_distance", "json_filter", "custom_score" })
{
    LoadedComponent component = loader.LoadFile(Path.Combine(fixtures, name + ".wasm"));
    foreach (UdfMetadata udf in registry.Register(component))
        Console.WriteLine($"registered {udf.Name,-16} {udf.Version,-6} [{udf.Category}] {udf.Description}");
}
Console.WriteLine();

// Documents are plain JSON; UDFs read their fields through the "wasmkit" host functions.
using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixtures, "documents.json")));
JsonElement[] products = json.RootElement.EnumerateArray().ToArray();

// 1. Fuzzy match. Filter runs the whole batch in ONE pooled instance and writes the string arguments
//    into guest memory once. max_distance is optional in the manifest (default 3); we pass it anyway.
IReadOnlyList<JsonElement> similar = registry.Filter("string_distance", version: null, products, new Dictionary<string, object?>
{
    ["field"] = "product_name",
    ["target"] = Query,
    ["max_distance"] = 3,
});

// 2. Price filter through a typed handle: name, version and arguments are resolved once, so each
//    evaluation skips the dictionary work. (registry.Filter("path_compare", ...) would do the same.)
const double MaxPrice = 800;
UdfFunction<bool> cheaperThanMax = registry.GetFunction<bool>("path_compare", "1.0.0", new Dictionary<string, object?>
{
    ["path"] = "price",
    ["op"] = "<",
    ["value"] = MaxPrice,
});
// Documents that several UDFs read can be indexed once (at ingest in a real engine): every field is
// then one hash lookup away instead of a walk through the JSON.
IndexedDocument[] similarIndexed = similar.Select(IndexedDocument.Create).ToArray();
JsonElement[] affordable = cheaperThanMax.Filter(similarIndexed).Select(i => similar[i]).ToArray();

// 3. A search score per product: 1 / (1 + edit distance), with a plain named-argument call each.
var candidates = new List<(UdfDocument Document, int Distance)>();
foreach (JsonElement product in affordable)
{
    string productName = product.GetProperty("product_name").GetString()!;
    int distance = registry.Call("levenshtein", null, product, new Dictionary<string, object?> { ["a"] = productName, ["b"] = Query }).AsInt32();
    string id = product.GetProperty("id").GetString()!;
    candidates.Add((new UdfDocument(product, id, Score: 1.0 / (1 + distance)), distance));
}

// 4. Rank: custom_score reads the search score (get_score), rating, price and in_stock.
double[] scores = registry.Score("custom_score", null, candidates.Select(c => c.Document).ToArray(), new Dictionary<string, object?> { ["boost"] = 2.0 });
var ranked = candidates.Zip(scores, (c, score) => (c.Document, c.Distance, Score: score))
    .OrderByDescending(r => r.Score)
    .ToList();

Console.WriteLine($"Query \"{Query}\": {products.Length} products, {similar.Count} within 3 edits, {affordable.Length} under {MaxPrice}, ranked:");
Console.WriteLine();
PrintTable(
    ["#", "id", "product", "price", "rating", "stock", "edits", "score"],
    ranked.Select((r, i) => new[]
    {
        (i + 1).ToString(CultureInfo.InvariantCulture),
        r.Document.Id!,
        r.Document.Content.GetProperty("product_name").GetString()!,
        r.Document.Content.GetProperty("price").GetDouble().ToString("0.00", CultureInfo.InvariantCulture),
        r.Document.Content.GetProperty("rating").GetDouble().ToString("0.0", CultureInfo.InvariantCulture),
        r.Document.Content.GetProperty("in_stock").GetBoolean() ? "yes" : "no",
        r.Distance.ToString(CultureInfo.InvariantCulture),
        r.Score.ToString("0.000", CultureInfo.InvariantCulture),
    }));

// Every evaluation was counted (each document of a batch is one call); durations are measured on a
// sample (each UDF's first 16 evaluations, then one in 16: UdfRegistryOptions.DurationSampleInterval).
// The same numbers go to System.Diagnostics.Metrics instruments on the "WasmKit" meter
// (wasmkit.udf.calls/errors/duration). In a run this short, first evaluations (JIT warm-up) dominate.
Console.WriteLine();
Console.WriteLine("UDF statistics:");
Console.WriteLine();
PrintTable(
    ["udf", "version", "calls", "errors", "error rate", "mean", "p50", "p95", "p99"],
    registry.GetStatistics().Where(s => s.Calls > 0).Select(s => new[]
    {
        s.Name,
        s.Version,
        s.Calls.ToString(CultureInfo.InvariantCulture),
        s.Errors.ToString(CultureInfo.InvariantCulture),
        s.ErrorRate.ToString("P1", CultureInfo.InvariantCulture),
        Microseconds(s.Mean),
        Microseconds(s.P50),
        Microseconds(s.P95),
        Microseconds(s.P99),
    }));

static string Microseconds(TimeSpan duration) => duration.TotalMicroseconds.ToString("0.0", CultureInfo.InvariantCulture) + " µs";

// Left-aligned text, right-aligned numbers, columns as wide as their widest cell.
static void PrintTable(string[] headers, IEnumerable<string[]> rows)
{
    var all = rows.Prepend(headers).ToList();
    int[] widths = headers.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
    bool[] numeric = headers.Select((_, column) => all.Count > 1 && all.Skip(1).All(row => IsNumber(row[column]))).ToArray();
    for (int r = 0; r < all.Count; r++)
    {
        Console.WriteLine(string.Join("  ", all[r].Select((cell, c) => numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        if (r == 0) Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
    }
}

static bool IsNumber(string cell) =>
    double.TryParse(cell.Replace(" µs", "").Replace(" %", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

// The fixtures live next to WasmKit.sln; walk up from the build output to find them.
static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return dir.FullName;
    }
    throw new DirectoryNotFoundException("WasmKit.sln not found above " + AppContext.BaseDirectory + "; run the sample from inside the repository.");
}
