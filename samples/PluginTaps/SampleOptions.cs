namespace PluginTaps;

/// <summary>The sample's command line.</summary>
internal sealed record SampleOptions
{
    public int Concurrency { get; init; } = 100;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);
    public string Mode { get; init; } = "filtered";
    public string Engine { get; init; } = "managed";
    public string Tap { get; init; } = "item_view";
    public bool Async { get; init; }
    public int PayloadBytes { get; init; }
    public int? Instances { get; init; }
    public int? Threads { get; init; }

    public const string Usage = """
        dotnet run -c Release --project samples/PluginTaps -- [options]
          --concurrency N     requests always in flight (closed loop); default 100 (try 1000, 2000)
          --seconds S         how long to run; default 3
          --mode M            full | handle | filtered (serialized with only the granted fields); default filtered
          --engine E          managed | wasmtime; default managed
          --tap T             item_view (reads 3 fields, renders) | item_presave (reads 3, writes 1); default item_view
          --async             add the db_query plugin, whose host function awaits 1-10 ms
          --payload BYTES     grow the item's body to about BYTES (default: the 2.4 KB reference item)
          --instances N       instances per plugin (default: 2 per core; with --async, the execution threads)
          --threads T         run guests on a GuestExecutor of T threads (default with --async: 64)
        """;

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = Positive(Next(), "--concurrency") },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(Next(), "--seconds")) },
                "--mode" => options with { Mode = OneOf(Next(), "--mode", "full", "handle", "filtered") },
                "--engine" => options with { Engine = OneOf(Next(), "--engine", "managed", "wasmtime") },
                "--tap" => options with { Tap = OneOf(Next(), "--tap", "item_view", "item_presave") },
                "--async" => options with { Async = true },
                "--payload" => options with { PayloadBytes = Positive(Next(), "--payload") },
                "--instances" => options with { Instances = Positive(Next(), "--instances") },
                "--threads" => options with { Threads = Positive(Next(), "--threads") },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return options;
    }

    private static int Positive(string text, string option) =>
        int.TryParse(text, out int value) && value > 0 ? value : throw new ArgumentException($"{option} needs a positive integer, not '{text}'.");

    private static string OneOf(string text, string option, params string[] allowed) =>
        allowed.Contains(text) ? text : throw new ArgumentException($"{option} is one of {string.Join(", ", allowed)}, not '{text}'.");
}
