using System.Buffers;
using System.Text;
using System.Text.Json;
using WasmKit.Plugins;

namespace WasmKit.PluginFixtures;

/// <summary>
/// The reference workload of the plugin-tap fixtures (fixtures/plugins) and the same taps written in C#:
/// the baseline of the benchmarks and the check of every guest result. Shared by the tests, the PluginTaps
/// sample and the benchmarks (linked into each).
/// </summary>
public static class ReferenceWorkload
{
    /// <summary>The fixtures/plugins folder, found by walking up to the solution file.</summary>
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return Path.Combine(dir.FullName, "fixtures", "plugins");
            throw new DirectoryNotFoundException("fixtures/plugins not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fixture plugin's module path (its manifest is beside it).</summary>
    public static string PluginPath(string name) => Path.Combine(Directory, name + ".wasm");

    /// <summary>A fixture plugin's module bytes.</summary>
    public static byte[] PluginBytes(string name) => File.ReadAllBytes(PluginPath(name));

    /// <summary>The reference item: 20 fields, 2.4 KB of JSON.</summary>
    public static byte[] Item() => File.ReadAllBytes(Path.Combine(Directory, "item.json"));

    /// <summary>The reference item with its body grown (by repeating it) so the item has about <paramref name="bytes"/> bytes.</summary>
    public static byte[] ItemOfSize(int bytes)
    {
        var root = JsonDocument.Parse(Item()).RootElement;
        string body = root.GetProperty("body").GetString()!;
        int rest = Item().Length - Encoding.UTF8.GetByteCount(body);
        var text = new StringBuilder(body);
        while (rest + Encoding.UTF8.GetByteCount(text.ToString()) < bytes) text.Append(' ').Append(body);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("body")) writer.WriteString("body", text.ToString());
                else property.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>The C# item_view of render.c: <c>{"#type":"article","#theme":"node__teaser","title":…,"summary":…,"words":N}</c>, or null when a field is missing.</summary>
    public static byte[]? Render(TapItem item)
    {
        if (!item.TryGetRawValue("title", out var title) || !item.TryGetRawValue("summary", out var summary) || !item.TryGetRawValue("body", out var body))
            return null;
        long words = CountWords(Decode(body.Span));
        var output = new ArrayBufferWriter<byte>(256);
        output.Write("{\"#type\":\"article\",\"#theme\":\"node__teaser\",\"title\":"u8);
        output.Write(title.Span);
        output.Write(",\"summary\":"u8);
        output.Write(summary.Span);
        output.Write(",\"words\":"u8);
        output.Write(Encoding.UTF8.GetBytes(words.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        output.Write("}"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The C# item_presave of slugger.c: the slug's JSON value, or null when a field is missing.</summary>
    public static byte[]? Slug(TapItem item)
    {
        if (!item.TryGetRawValue("title", out var title) || !item.TryGetRawValue("author", out var author) || !item.TryGetRawValue("created", out var created))
            return null;
        byte[] createdText = Decode(created.Span);
        if (createdText.Length < 4) return null;
        var slug = new List<byte> { (byte)'"' };
        slug.AddRange(createdText.AsSpan(0, 4).ToArray());
        slug.Add((byte)'-');
        Slugify(Decode(title.Span), slug);
        slug.Add((byte)'-');
        Slugify(Decode(author.Span), slug);
        slug.Add((byte)'"');
        return [.. slug];
    }

    /// <summary>The C# item_presave of validator.c: the rejection message, or null.</summary>
    public static string? Validate(TapItem item)
    {
        if (!item.TryGetRawValue("title", out var title) || Decode(title.Span).Length == 0) return "the title must not be empty";
        if (item.TryGetRawValue("status", out var status) && Decode(status.Span).AsSpan().SequenceEqual("locked"u8)) return "the item is locked";
        return null;
    }

    /// <summary>What the test hosts' db_query returns for an id (the fixture's "database").</summary>
    public static long Views(long id) => id * 31 % 100_003;

    /// <summary>The C# item_view of db_lookup.c.</summary>
    public static string Lookup(long id) => $"{{\"#type\":\"views\",\"id\":{id},\"views\":{Views(id)}}}";

    /// <summary>Whether two JSON texts are the same value.</summary>
    public static bool SameJson(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.SequenceEqual(b)) return true;
        return System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(a), System.Text.Json.Nodes.JsonNode.Parse(b));
    }

    private static byte[] Decode(ReadOnlySpan<byte> rawString)
    {
        var reader = new Utf8JsonReader(rawString);
        reader.Read();
        if (reader.TokenType != JsonTokenType.String) return [];
        if (!reader.ValueIsEscaped) return reader.ValueSpan.ToArray();
        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer)).ToArray();
    }

    private static long CountWords(ReadOnlySpan<byte> text)
    {
        long words = 0;
        bool inWord = false;
        foreach (byte b in text)
        {
            if (b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r') inWord = false;
            else if (!inWord)
            {
                inWord = true;
                words++;
            }
        }
        return words;
    }

    private static void Slugify(ReadOnlySpan<byte> text, List<byte> slug)
    {
        int start = slug.Count;
        bool pending = false;
        foreach (byte raw in text)
        {
            byte c = raw is >= (byte)'A' and <= (byte)'Z' ? (byte)(raw - 'A' + 'a') : raw;
            if (c is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9')
            {
                if (pending && slug.Count > start) slug.Add((byte)'-');
                pending = false;
                slug.Add(c);
            }
            else
            {
                pending = true;
            }
        }
    }
}
