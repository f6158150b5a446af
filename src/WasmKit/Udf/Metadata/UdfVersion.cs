using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WasmKit.Udf;

/// <summary>
/// A semantic version (MAJOR.MINOR.PATCH, optional -prerelease and +build, as in semver 2.0.0).
/// Ordering and equality follow semver precedence: build metadata is ignored, a prerelease sorts before its release.
/// </summary>
public sealed class UdfVersion : IComparable<UdfVersion>, IEquatable<UdfVersion>
{
    private readonly string[] _prereleaseIdentifiers;

    private UdfVersion(long major, long minor, long patch, string prerelease, string build)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Build = build;
        _prereleaseIdentifiers = prerelease.Length == 0 ? [] : prerelease.Split('.');
    }

    /// <summary>The major version.</summary>
    public long Major { get; }

    /// <summary>The minor version.</summary>
    public long Minor { get; }

    /// <summary>The patch version.</summary>
    public long Patch { get; }

    /// <summary>The prerelease part after '-', or an empty string.</summary>
    public string Prerelease { get; }

    /// <summary>The build metadata after '+', or an empty string; it takes no part in ordering or equality.</summary>
    public string Build { get; }

    /// <summary>Whether this is a prerelease version.</summary>
    public bool IsPrerelease => Prerelease.Length > 0;

    /// <summary>Reads a semantic version.</summary>
    /// <param name="text">Text such as "1.4.2", "2.0.0-beta.1" or "1.0.0+build.5".</param>
    /// <returns>The version.</returns>
    /// <exception cref="FormatException">The text is not a semantic version.</exception>
    public static UdfVersion Parse(string text) =>
        TryParse(text, out var version, out string? problem) ? version : throw new FormatException(problem);

    /// <summary>Reads a semantic version without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="version">The version, when the text is well-formed.</param>
    /// <returns>Whether the text is a semantic version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out UdfVersion? version) =>
        TryParse(text, out version, out _);

    internal static bool TryParse(string? text, [NotNullWhen(true)] out UdfVersion? version, [NotNullWhen(false)] out string? problem)
    {
        version = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "a version is required (MAJOR.MINOR.PATCH, e.g. \"1.0.0\")";
            return false;
        }
        string rest = text;
        string build = "";
        int plus = rest.IndexOf('+');
        if (plus >= 0)
        {
            build = rest[(plus + 1)..];
            rest = rest[..plus];
            if (!ValidIdentifiers(build, numericRule: false))
            {
                problem = $"'{text}' has malformed build metadata '{build}'";
                return false;
            }
        }
        string prerelease = "";
        int dash = rest.IndexOf('-');
        if (dash >= 0)
        {
            prerelease = rest[(dash + 1)..];
            rest = rest[..dash];
            if (!ValidIdentifiers(prerelease, numericRule: true))
            {
                problem = $"'{text}' has a malformed prerelease '{prerelease}'";
                return false;
            }
        }
        string[] parts = rest.Split('.');
        if (parts.Length != 3)
        {
            problem = $"'{text}' is not MAJOR.MINOR.PATCH (e.g. \"1.0.0\")";
            return false;
        }
        var numbers = new long[3];
        for (int i = 0; i < 3; i++)
        {
            if (!IsNumericIdentifier(parts[i]) || !long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                problem = $"'{text}' has a malformed number '{parts[i]}' (digits without leading zeros)";
                return false;
            }
        }
        version = new UdfVersion(numbers[0], numbers[1], numbers[2], prerelease, build);
        problem = null;
        return true;
    }

    private static bool ValidIdentifiers(string text, bool numericRule)
    {
        if (text.Length == 0) return false;
        foreach (string identifier in text.Split('.'))
        {
            if (identifier.Length == 0) return false;
            foreach (char c in identifier)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
            if (numericRule && identifier.All(char.IsAsciiDigit) && !IsNumericIdentifier(identifier)) return false;
        }
        return true;
    }

    private static bool IsNumericIdentifier(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0');

    /// <summary>Compares by semver precedence.</summary>
    /// <param name="other">The other version; <see langword="null"/> sorts first.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(UdfVersion? other)
    {
        if (other is null) return 1;
        int c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        // A release outranks its prereleases.
        if (!IsPrerelease || !other.IsPrerelease) return other.IsPrerelease.CompareTo(IsPrerelease);
        var mine = _prereleaseIdentifiers;
        var theirs = other._prereleaseIdentifiers;
        for (int i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            c = CompareIdentifier(mine[i], theirs[i]);
            if (c != 0) return c;
        }
        return mine.Length.CompareTo(theirs.Length);
    }

    private static int CompareIdentifier(string a, string b)
    {
        bool aNumeric = a.All(char.IsAsciiDigit);
        bool bNumeric = b.All(char.IsAsciiDigit);
        if (aNumeric && bNumeric)
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
        if (aNumeric != bNumeric) return aNumeric ? -1 : 1; // numeric identifiers sort before alphanumeric ones
        return string.CompareOrdinal(a, b);
    }

    /// <summary>Whether both versions have the same precedence (build metadata ignored).</summary>
    /// <param name="other">The other version.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(UdfVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UdfVersion);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, Prerelease);

    /// <summary>The version as written, e.g. "1.2.3-beta+5".</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (IsPrerelease ? "-" + Prerelease : "") + (Build.Length > 0 ? "+" + Build : "");

    /// <summary>Semver precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(UdfVersion? left, UdfVersion? right) => Compare(left, right) < 0;

    /// <summary>Semver precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(UdfVersion? left, UdfVersion? right) => Compare(left, right) > 0;

    /// <summary>Semver precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(UdfVersion? left, UdfVersion? right) => Compare(left, right) <= 0;

    /// <summary>Semver precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(UdfVersion? left, UdfVersion? right) => Compare(left, right) >= 0;

    /// <summary>Equal precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(UdfVersion? left, UdfVersion? right) => Compare(left, right) == 0;

    /// <summary>Different precedence.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">A version.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(UdfVersion? left, UdfVersion? right) => Compare(left, right) != 0;

    private static int Compare(UdfVersion? left, UdfVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
