using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// What a pre-pass over a function body tells the compiler before it emits anything: whether the body
/// loads or stores (then it keeps a memory view) and whether it calls other functions (if not, it is a
/// leaf and may skip the stack check, see <see cref="FunctionCompiler"/>).
/// </summary>
internal readonly record struct FunctionBodyTraits(bool AccessesMemory, bool MakesCalls)
{
    public static FunctionBodyTraits Scan(byte[] bytes, FunctionBody body)
    {
        bool accessesMemory = false, makesCalls = false;
        var reader = new InstructionReader(bytes, body.CodeStart, body.CodeEnd);
        while (!reader.AtEnd && !(accessesMemory && makesCalls))
        {
            var opcode = reader.Read().Opcode;
            if (opcode is >= Opcode.I32Load and <= Opcode.I64Store32) accessesMemory = true;
            else if (opcode is Opcode.Call or Opcode.CallIndirect) makesCalls = true;
        }
        return new FunctionBodyTraits(accessesMemory, makesCalls);
    }
}
