using System.Globalization;

namespace WasmKit.Fuzz;

/// <summary>Command-line options of the form <c>--name value</c>.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <c>--name value</c> pairs.</summary>
    /// <exception cref="ArgumentException">An argument is not an option, or an option has no value.</exception>
    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--name value', found '{args[i]}'.");
            options._values[args[i][2..]] = args[i + 1];
        }
        return options;
    }

    /// <summary>The option's value, or null.</summary>
    public string? Get(string name) => _values.GetValueOrDefault(name);

    /// <summary>The option's value.</summary>
    /// <exception cref="ArgumentException">The option is missing.</exception>
    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    /// <summary>The option as a whole number, or <paramref name="fallback"/>.</summary>
    /// <exception cref="ArgumentException">The value is not a number.</exception>
    public long Number(string name, long fallback) =>
        Get(name) is not { } text ? fallback
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value
        : throw new ArgumentException($"--{name} must be a number, not '{text}'.");
}
