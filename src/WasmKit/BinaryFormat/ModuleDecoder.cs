namespace WasmKit.BinaryFormat;

/// <summary>Decodes the WebAssembly binary format into a <see cref="ModuleDefinition"/>.</summary>
internal static class ModuleDecoder
{
    /// <summary>Decodes a whole module. Malformed input raises <see cref="WasmFormatException"/> with the offset.</summary>
    public static ModuleDefinition Decode(byte[] bytes) => throw new NotImplementedException();
}
