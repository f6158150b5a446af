using System.Text;

namespace WasmKit.Fuzz;

/// <summary>Writes the binary format's primitives: LEB128 integers and names.</summary>
public static class WasmByteWriter
{
    /// <summary>Appends an unsigned LEB128 integer.</summary>
    public static void U32(List<byte> output, uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            output.Add(b);
        }
        while (value != 0);
    }

    /// <summary>Appends a signed LEB128 integer (i32.const and i64.const immediates).</summary>
    public static void S64(List<byte> output, long value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            output.Add(done ? b : (byte)(b | 0x80));
            if (done) return;
        }
    }

    /// <summary>Appends a length-prefixed UTF-8 name.</summary>
    public static void Name(List<byte> output, string name)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        U32(output, (uint)utf8.Length);
        output.AddRange(utf8);
    }
}
