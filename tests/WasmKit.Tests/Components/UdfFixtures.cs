using System.Text;
using System.Text.Json;

namespace WasmKit.Tests.Components;

/// <summary>Finds fixtures/udf and calls UDF exports with the string convention (args through wasmkit_alloc).</summary>
internal static class UdfFixtures
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "WasmKit.sln"))) return System.IO.Path.Combine(dir.FullName, "fixtures", "udf");
            }
            throw new DirectoryNotFoundException("fixtures/udf not found above the test directory.");
        }
    }

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    public static JsonDocument Documents() => JsonDocument.Parse(File.ReadAllBytes(Path("documents.json")));

    /// <summary>Copies a string argument into guest memory obtained from wasmkit_alloc; returns (ptr, len).</summary>
    public static (int Pointer, int Length) WriteString(Instance instance, string text)
    {
        var alloc = instance.GetFunction<int, int>("wasmkit_alloc")!;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int pointer = alloc(bytes.Length);
        Assert.That(pointer, Is.Not.Zero, "wasmkit_alloc failed");
        bytes.CopyTo(instance.GetMemory("memory")!.GetSpan(pointer, bytes.Length));
        return (pointer, bytes.Length);
    }

    /// <summary>Reads a string result packed as (ptr &lt;&lt; 32) | len.</summary>
    public static string ReadString(Instance instance, long packed) =>
        instance.GetMemory("memory")!.ReadString((int)(packed >>> 32), (int)(packed & 0xFFFFFFFF));
}
