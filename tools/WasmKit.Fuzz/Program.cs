// WasmKit.Fuzz: differential fuzzing of WasmKit against binaryen's interpreter (see README.md).
// Normally driven by scripts/fuzz.sh; the commands below are also handy for reproducing a seed.
using System.Globalization;
using WasmKit.Fuzz;

const string Usage = """
    usage:
      WasmKit.Fuzz campaign --out DIR --seeds N [--start S] [--timeout SECONDS] [--oracle binaryen|wasmtime]
          run seeds S..S+N-1, appending to DIR/results.jsonl (exit 3 if WasmKit hung); the oracle is the
          engine WasmKit is compared with (default binaryen's interpreter; binaryen still generates the modules)
      WasmKit.Fuzz summarize --out DIR [--json FILE]
          print counts over DIR/results.jsonl (exit 1 if any crash, hang or unexplained mismatch)
      WasmKit.Fuzz record --out DIR --seed S --outcome OUTCOME --category C [--detail TEXT]
          append one result (fuzz.sh uses it when the campaign process died)
      WasmKit.Fuzz run FILE.wasm...
          print WasmKit's output in binaryen's --fuzz-exec format for each module
      WasmKit.Fuzz check FILE.wasm [--oracle binaryen|wasmtime]
          run binaryen (or Wasmtime) and WasmKit on one module; print the verdict on stdout, the lines on stderr
          (exit 0 match, 1 mismatch, 2 crash, 3 skipped; usable as a wasm-reduce command)
      WasmKit.Fuzz run-wasmtime FILE.wasm...
          print Wasmtime's output in the same format
      WasmKit.Fuzz bytes SEED FILE
          write the random input of a seed (then: wasm-opt FILE -ttf <features> -o module.ttf.wasm)
      WasmKit.Fuzz arguments SEED IN.wasm OUT.wasm
          wrap each export that has parameters so it is called with the seed's random arguments
      WasmKit.Fuzz canonicalize IN.wasm OUT.wasm
          make every arithmetic NaN result canonical, so both engines must agree bit for bit
    """;

try
{
    return args.Length == 0 ? Fail(Usage) : args[0] switch
    {
        "campaign" => Campaign(args[1..]),
        "summarize" => Summarize(args[1..]),
        "record" => Record(args[1..]),
        "run" => RunModules(args[1..]),
        "run-wasmtime" => RunWasmtimeModules(args[1..]),
        "check" => Check(args[1..]),
        "bytes" => WriteBytes(args[1..]),
        "arguments" => WithArguments(args[1..]),
        "canonicalize" => Canonicalize(args[1..]),
        _ => Fail(Usage),
    };
}
catch (ArgumentException ex)
{
    return Fail($"{ex.Message}\n\n{Usage}");
}

static int Campaign(string[] args)
{
    var options = Options.Parse(args);
    var binaryen = new Binaryen();
    if (!binaryen.IsAvailable()) return Fail("wasm-opt (binaryen) is not installed; run scripts/install-tools.sh.");
    var campaign = new Campaign(binaryen, options.Require("out"), TimeSpan.FromSeconds(options.Number("timeout", 30)), OracleOf(options));
    bool finished = campaign.Run(options.Number("start", 1), options.Number("seeds", 100), Console.Out);
    return finished ? 0 : 3;
}

static FuzzOracle OracleOf(Options options) => options.Get("oracle") switch
{
    null or "binaryen" => FuzzOracle.Binaryen,
    "wasmtime" => FuzzOracle.Wasmtime,
    var other => throw new ArgumentException($"--oracle must be binaryen or wasmtime, not '{other}'."),
};

static int RunWasmtimeModules(string[] files)
{
    if (files.Length == 0) return Fail(Usage);
    int status = 0;
    foreach (var file in files)
    {
        if (files.Length > 1) Console.WriteLine($"=== {file}");
        var result = WasmtimeFuzzExecRunner.Run(File.ReadAllBytes(file));
        Console.Write(result.Output);
        if (result.Crash is not null)
        {
            Console.WriteLine($"[wasmtime error] {result.Crash}");
            status = 2;
        }
    }
    return status;
}

static int Summarize(string[] args)
{
    var options = Options.Parse(args);
    var summary = CampaignSummary.From(WasmKit.Fuzz.Campaign.ReadResults(options.Require("out")));
    Console.WriteLine(summary);
    if (options.Get("json") is { } json) File.WriteAllText(json, summary.ToJson());
    return summary.IsClean ? 0 : 1;
}

static int Record(string[] args)
{
    var options = Options.Parse(args);
    string directory = options.Require("out");
    Directory.CreateDirectory(directory);
    using var results = new StreamWriter(Path.Combine(directory, WasmKit.Fuzz.Campaign.ResultsFileName), append: true);
    WasmKit.Fuzz.Campaign.Append(results, new SeedResult(
        options.Number("seed", 0), options.Require("outcome"), options.Require("category"), options.Get("detail") ?? ""));
    return 0;
}

static int RunModules(string[] files)
{
    if (files.Length == 0) return Fail(Usage);
    int status = 0;
    foreach (var file in files)
    {
        if (files.Length > 1) Console.WriteLine($"=== {file}");
        var result = FuzzExecRunner.Run(File.ReadAllBytes(file));
        Console.Write(result.Output);
        if (result.Crash is not null)
        {
            Console.WriteLine($"[wasmkit crash] {result.Crash}");
            status = 2;
        }
    }
    return status;
}

static int Check(string[] args)
{
    // stdout holds only the verdict, which survives reduction (wasm-reduce keeps a change when
    // stdout and the exit code stay the same); the differing lines go to stderr.
    if (args.Length is not (1 or 3)) return Fail(Usage);
    var oracle = OracleOf(Options.Parse(args[1..]));
    string expected;
    if (oracle == FuzzOracle.Wasmtime)
    {
        var wasmtime = WasmtimeFuzzExecRunner.Run(File.ReadAllBytes(args[0]));
        if (wasmtime.Crash is not null)
        {
            Console.WriteLine("wasmtime-failure");
            Console.Error.WriteLine(wasmtime.Crash);
            return 3;
        }
        expected = WasmtimeFuzzExecRunner.ForgetFunctionNames(wasmtime.Output);
    }
    else
    {
        var fuzzExec = new Binaryen().FuzzExec(args[0]);
        if (fuzzExec.ExitCode != 0)
        {
            Console.WriteLine("binaryen-failure");
            Console.Error.WriteLine(fuzzExec.Stderr);
            return 3;
        }
        expected = fuzzExec.Stdout;
    }
    FuzzExecResult result;
    try
    {
        result = FuzzExecRunner.Run(File.ReadAllBytes(args[0]));
    }
    catch (UnsupportedModuleException ex)
    {
        Console.WriteLine("unsupported");
        Console.Error.WriteLine(ex.Message);
        return 3;
    }
    if (result.Crash is not null)
    {
        Console.WriteLine($"crash {result.Crash.GetType().Name}");
        Console.Error.WriteLine(result.Crash);
        return 2;
    }
    var comparison = OutputComparison.Compare(expected,
        oracle == FuzzOracle.Wasmtime ? WasmtimeFuzzExecRunner.ForgetFunctionNames(result.Output) : result.Output);
    if (comparison.Kind == ComparisonKind.Match)
    {
        Console.WriteLine("match");
        return 0;
    }
    Console.WriteLine(comparison.Kind == ComparisonKind.NaNBitsOnly ? "nan-bits" : $"different {comparison.Shape}");
    Console.Error.WriteLine($"line {comparison.LineNumber}\n{(oracle == FuzzOracle.Wasmtime ? "wasmtime" : "binaryen")}: {comparison.Expected}\nwasmkit:  {comparison.Actual}");
    return 1;
}

static int WriteBytes(string[] args)
{
    if (args.Length != 2) return Fail(Usage);
    File.WriteAllBytes(args[1], SeedBytes.Create(long.Parse(args[0], CultureInfo.InvariantCulture)));
    return 0;
}

static int WithArguments(string[] args)
{
    if (args.Length != 3) return Fail(Usage);
    File.WriteAllBytes(args[2], ExportArguments.Wrap(File.ReadAllBytes(args[1]), long.Parse(args[0], CultureInfo.InvariantCulture)));
    return 0;
}

static int Canonicalize(string[] args)
{
    if (args.Length != 2) return Fail(Usage);
    File.WriteAllBytes(args[1], NaNCanonicalizer.Canonicalize(File.ReadAllBytes(args[0])));
    return 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 64;
}
