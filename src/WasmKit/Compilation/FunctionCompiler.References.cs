using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

internal sealed partial class FunctionCompiler
{
    /// <summary>Reference and table instructions; false if <paramref name="ins"/> is none of them.</summary>
    private bool TryCompileReferenceInstruction(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.RefNull:
                _il.Emit(OpCodes.Ldnull);
                Push(ins.ValueType);
                return true;
            case Opcode.RefIsNull:
                Pop();
                _il.Emit(OpCodes.Ldnull);
                _il.Emit(OpCodes.Ceq);
                Push(ValueKind.Int32);
                return true;
            case Opcode.RefFunc:
                EmitLoadContext();
                _il.Emit(OpCodes.Ldfld, Members.ContextFunctions);
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Ldelem_Ref);
                Push(ValueKind.FuncRef);
                return true;
            case Opcode.TableGet:
                Pop();
                EmitLoadTable((int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableGet)));
                Push(_definition.GetTableType((int)ins.Index).ElementKind);
                return true;
            case Opcode.TableSet:
                PopN(2);
                EmitLoadTable((int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableSet)));
                return true;
            case Opcode.TableSize:
                EmitLoadTable((int)ins.Index);
                _il.Emit(OpCodes.Ldfld, Members.TableLength);
                Push(ValueKind.Int32);
                return true;
            case Opcode.TableGrow:
                PopN(2);
                EmitLoadTable((int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableGrow)));
                Push(ValueKind.Int32);
                return true;
            case Opcode.TableFill:
                PopN(3);
                EmitLoadTable((int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableFill)));
                return true;
            case Opcode.TableCopy:
                PopN(3);
                EmitLoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index2);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableCopy)));
                return true;
            case Opcode.TableInit:
                PopN(3);
                EmitLoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index2);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.TableInit)));
                return true;
            case Opcode.ElemDrop:
                EmitLoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Index);
                _il.Emit(OpCodes.Call, _module.Helper(typeof(BulkOperations), nameof(BulkOperations.ElemDrop)));
                return true;
            default:
                return false;
        }
    }
}
