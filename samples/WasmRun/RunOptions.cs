using System.Globalization;
using WasmKit.Wasi;

/// <summary>The parsed command line of <c>wasmrun run</c>.</summary>
internal sealed class RunOptions
{
    public const string Usage = """
        usage: wasmrun run [options] file.wasm [args...]
          --dir HOST[:GUEST]        let the program use directory HOST, seen as GUEST (default: HOST); repeatable
          --dir-ro HOST[:GUEST]     the same, read-only
          --env NAME=VALUE          set an environment variable for the program; repeatable
          --fuel N                  trap after N units of fuel (function calls and loop iterations)
          --timeout MS              trap after MS milliseconds
          --max-memory-pages N      let each memory grow to at most N pages of 64 KiB
          --invoke NAME             call export NAME with args (i32, i64, f32, f64) and print its results, instead of _start
        """;

    public required string ModulePath { get; init; }

    /// <summary>The program's argv (its name first), or the arguments of the invoked export.</summary>
    public List<string> GuestArguments { get; } = [];

    public List<string> InvokeArguments { get; } = [];

    public List<(string Name, string Value)> Environment { get; } = [];

    public List<WasiPreopenedDirectory> Directories { get; } = [];

    public long? Fuel { get; private set; }

    public int? TimeoutMilliseconds { get; private set; }

    public uint? MaxMemoryPages { get; private set; }

    public string? Invoke { get; private set; }

    /// <exception cref="FormatException">The command line is not valid.</exception>
    public static RunOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "run") throw new FormatException(args.Length == 0 ? "no command" : $"unknown command '{args[0]}'");
        var pending = new List<Action<RunOptions>>();
        int i = 1;
        for (; i < args.Length && args[i].StartsWith("--", StringComparison.Ordinal); i++)
        {
            string option = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new FormatException($"{option} needs a value");
            switch (option)
            {
                case "--dir":
                case "--dir-ro":
                {
                    string value = Value();
                    int colon = value.IndexOf(':');
                    string host = colon < 0 ? value : value[..colon];
                    string guest = colon < 0 ? value : value[(colon + 1)..];
                    if (host.Length == 0 || guest.Length == 0) throw new FormatException($"{option} needs HOST[:GUEST], not '{value}'");
                    bool readOnly = option == "--dir-ro";
                    pending.Add(o => o.Directories.Add(new WasiPreopenedDirectory(host, guest, readOnly)));
                    break;
                }
                case "--env":
                {
                    string value = Value();
                    int equals = value.IndexOf('=');
                    if (equals <= 0) throw new FormatException($"--env needs NAME=VALUE, not '{value}'");
                    pending.Add(o => o.Environment.Add((value[..equals], value[(equals + 1)..])));
                    break;
                }
                case "--fuel":
                {
                    long fuel = ParseNumber<long>(option, Value());
                    pending.Add(o => o.Fuel = fuel);
                    break;
                }
                case "--timeout":
                {
                    int timeout = ParseNumber<int>(option, Value());
                    pending.Add(o => o.TimeoutMilliseconds = timeout);
                    break;
                }
                case "--max-memory-pages":
                {
                    uint pages = ParseNumber<uint>(option, Value());
                    pending.Add(o => o.MaxMemoryPages = pages);
                    break;
                }
                case "--invoke":
                {
                    string name = Value();
                    pending.Add(o => o.Invoke = name);
                    break;
                }
                default:
                    throw new FormatException($"unknown option '{option}'");
            }
        }
        if (i >= args.Length) throw new FormatException("no module file");
        var options = new RunOptions { ModulePath = args[i] };
        foreach (var apply in pending) apply(options);
        var rest = args.Skip(i + 1);
        options.GuestArguments.Add(Path.GetFileName(args[i]));
        (options.Invoke is null ? options.GuestArguments : options.InvokeArguments).AddRange(rest);
        return options;
    }

    private static T ParseNumber<T>(string option, string text) where T : System.Numerics.INumber<T> =>
        T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{option} needs a non-negative integer, not '{text}'");
}
