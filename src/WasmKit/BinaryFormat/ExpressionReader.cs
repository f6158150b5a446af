namespace WasmKit.BinaryFormat;

/// <summary>
/// Reads an instruction sequence up to the <c>end</c> that closes it (a function body or a
/// constant expression), checking that it is well-formed: every instruction decodes, blocks nest,
/// and <c>else</c> appears only once in each <c>if</c>.
/// </summary>
internal static class ExpressionReader
{
    private enum Frame : byte
    {
        BlockOrLoop,
        IfBeforeElse,
        IfAfterElse,
    }

    /// <summary>Reads from <paramref name="start"/> through the closing <c>end</c>.</summary>
    /// <param name="bytes">The module's bytes.</param>
    /// <param name="start">The first instruction.</param>
    /// <param name="end">One past the last byte the sequence may use.</param>
    /// <param name="instructions">If given, receives every instruction except the closing <c>end</c>.</param>
    /// <param name="dataIndexOffset">
    /// The offset of the first <c>memory.init</c> or <c>data.drop</c> (they name a data segment, which the binary
    /// format allows only after a data count section), or -1 when there is none.
    /// </param>
    /// <returns>The position after the closing <c>end</c>.</returns>
    public static int ReadToEnd(byte[] bytes, int start, int end, List<Instruction>? instructions, out int dataIndexOffset)
    {
        dataIndexOffset = -1;
        var reader = new InstructionReader(bytes, start, end);
        // The open blocks, innermost last; the sequence itself is not among them.
        var frames = new List<Frame>();
        while (true)
        {
            var instruction = reader.Read();
            switch (instruction.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                    frames.Add(Frame.BlockOrLoop);
                    break;
                case Opcode.If:
                    frames.Add(Frame.IfBeforeElse);
                    break;
                case Opcode.Else:
                    // The spec ends the enclosing block at a stray else and then misses its end.
                    if (frames.Count == 0 || frames[^1] != Frame.IfBeforeElse)
                        throw WasmReader.Error(instruction.Offset, "END opcode expected: else without a matching if");
                    frames[^1] = Frame.IfAfterElse;
                    break;
                case Opcode.End:
                    if (frames.Count == 0) return reader.Position;
                    frames.RemoveAt(frames.Count - 1);
                    break;
                case Opcode.MemoryInit or Opcode.DataDrop when dataIndexOffset < 0:
                    dataIndexOffset = instruction.Offset;
                    break;
            }
            instructions?.Add(instruction);
        }
    }
}
