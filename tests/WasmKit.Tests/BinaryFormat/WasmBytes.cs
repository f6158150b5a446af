using System.Text;

namespace WasmKit.Tests.BinaryFormat;

/// <summary>Builds module bytes by hand, for tests that need exact (and exactly wrong) encodings.</summary>
internal static class WasmBytes
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>The header followed by the given sections (or any other bytes).</summary>
    public static byte[] Module(params byte[][] sections) => [.. Header, .. sections.SelectMany(s => s)];

    /// <summary>A section: its id, its content's size, its content.</summary>
    public static byte[] Section(byte id, params byte[][] content)
    {
        byte[] body = Concat(content);
        return [id, .. U32(body.Length), .. body];
    }

    /// <summary>A vector: its element count, then the elements.</summary>
    public static byte[] Vector(params byte[][] items) => [.. U32(items.Length), .. Concat(items)];

    public static byte[] Name(string name)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        return [.. U32(utf8.Length), .. utf8];
    }

    /// <summary>Unsigned LEB128, minimal length.</summary>
    public static byte[] U32(long value)
    {
        var bytes = new List<byte>();
        ulong v = (ulong)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0) b |= 0x80;
            bytes.Add(b);
        } while (v != 0);
        return [.. bytes];
    }

    /// <summary>A function body entry of the code section: size, local groups, instructions (which must include the final end).</summary>
    public static byte[] Body(byte[] locals, params byte[] code)
    {
        byte[] content = [.. locals, .. code];
        return [.. U32(content.Length), .. content];
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>The type section with one type <c>(func)</c>.</summary>
    public static byte[] VoidTypeSection => Section(1, Vector([0x60, 0x00, 0x00]));

    /// <summary>The function section declaring <paramref name="count"/> functions of type 0.</summary>
    public static byte[] FunctionSection(int count) => Section(3, Vector(Enumerable.Repeat(new byte[] { 0x00 }, count).ToArray()));

    /// <summary>A module of one <c>(func)</c> whose body is <paramref name="code"/> after no locals.</summary>
    public static byte[] SingleFunction(params byte[] code) =>
        Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x00], code))));

    /// <summary>A module of one <c>(func)</c> with a memory, whose body is <paramref name="code"/>.</summary>
    public static byte[] SingleFunctionWithMemory(params byte[] code) =>
        Module(VoidTypeSection, FunctionSection(1), Section(5, Vector([0x00, 0x01])), Section(10, Vector(Body([0x00], code))));
}
