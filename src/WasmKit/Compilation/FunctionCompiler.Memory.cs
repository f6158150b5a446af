using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

internal sealed partial class FunctionCompiler
{
    /// <summary>Loads, stores and the memory instructions; false if <paramref name="ins"/> is none of them.</summary>
    private bool TryCompileMemoryInstruction(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case >= Opcode.I32Load and <= Opcode.I64Load32U:
            {
                Pop();
                EmitLoadMemoryView();
                _il.Emit(OpCodes.Ldc_I8, (long)ins.MemoryOffset);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(MemoryAccess), ins.Opcode.ToString()));
                Push(ins.Opcode switch
                {
                    Opcode.I32Load or Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I32Load16S or Opcode.I32Load16U => ValueKind.Int32,
                    Opcode.F32Load => ValueKind.Float32,
                    Opcode.F64Load => ValueKind.Float64,
                    _ => ValueKind.Int64,
                });
                return true;
            }
            case >= Opcode.I32Store and <= Opcode.I64Store32:
                Pop();
                Pop();
                // Tracked stores mark the memory's dirty map, so they take the memory itself.
                bool tracked = _module.Options.ResettableInstances;
                if (tracked) EmitLoadMemory();
                else EmitLoadMemoryView();
                _il.Emit(OpCodes.Ldc_I8, (long)ins.MemoryOffset);
                _il.Emit(OpCodes.Call, _module.Helper(tracked ? typeof(TrackedMemoryAccess) : typeof(MemoryAccess), ins.Opcode.ToString()));
                return true;
            case Opcode.MemorySize:
                EmitLoadMemory();
                _il.Emit(OpCodes.Call, _module.Helper(typeof(MemoryAccess), nameof(MemoryAccess.Size)));
                Push(ValueKind.Int32);
                return true;
            case Opcode.MemoryGrow:
                EmitLoadMemory();
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.MemoryGrow)));
                EmitReloadMemoryView();
                return true;
            case Opcode.MemoryInit:
                PopN(3);
                EmitLoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.MemoryInit)));
                return true;
            case Opcode.DataDrop:
                EmitLoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.DataDrop)));
                return true;
            case Opcode.MemoryCopy:
            case Opcode.MemoryFill:
                PopN(3);
                EmitLoadMemory();
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), ins.Opcode.ToString()));
                return true;
            default:
                return false;
        }
    }

    private void PopN(int count)
    {
        for (int i = 0; i < count; i++) Pop();
    }
}
