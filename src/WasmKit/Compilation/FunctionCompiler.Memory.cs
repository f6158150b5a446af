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
                EmitLoad(ins.Opcode, ins.MemoryOffset);
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
                if (_module.Options.ResettableInstances)
                {
                    EmitLoadMemory();
                    _il.Emit(OpCodes.Ldc_I8, (long)ins.MemoryOffset);
                    _il.Emit(OpCodes.Call, _module.Helper(typeof(TrackedMemoryAccess), ins.Opcode.ToString()));
                }
                else
                {
                    EmitStore(ins.Opcode, ins.MemoryOffset);
                }
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

    /// <summary>
    /// A load from the memory view, emitted inline rather than as a call to a <see cref="MemoryAccess"/> helper:
    /// in large functions the JIT stops inlining those helpers (each inlined call adds temporaries, and past a
    /// few hundred locals it gives up), leaving a call per access in the hottest code. Same check as the helper:
    /// the effective address is computed in 64 bits and must end within the view's length.
    /// </summary>
    private void EmitLoad(Opcode opcode, ulong offset)
    {
        var (size, load, widen) = opcode switch
        {
            Opcode.I32Load => (4, OpCodes.Ldind_I4, OpCodes.Nop),
            Opcode.I64Load => (8, OpCodes.Ldind_I8, OpCodes.Nop),
            Opcode.F32Load => (4, OpCodes.Ldind_R4, OpCodes.Nop),
            Opcode.F64Load => (8, OpCodes.Ldind_R8, OpCodes.Nop),
            Opcode.I32Load8S => (1, OpCodes.Ldind_I1, OpCodes.Nop),
            Opcode.I32Load8U => (1, OpCodes.Ldind_U1, OpCodes.Nop),
            Opcode.I32Load16S => (2, OpCodes.Ldind_I2, OpCodes.Nop),
            Opcode.I32Load16U => (2, OpCodes.Ldind_U2, OpCodes.Nop),
            Opcode.I64Load8S => (1, OpCodes.Ldind_I1, OpCodes.Conv_I8),
            Opcode.I64Load8U => (1, OpCodes.Ldind_U1, OpCodes.Conv_U8),
            Opcode.I64Load16S => (2, OpCodes.Ldind_I2, OpCodes.Conv_I8),
            Opcode.I64Load16U => (2, OpCodes.Ldind_U2, OpCodes.Conv_U8),
            Opcode.I64Load32S => (4, OpCodes.Ldind_I4, OpCodes.Conv_I8),
            _ => (4, OpCodes.Ldind_U4, OpCodes.Conv_U8), // I64Load32U
        };
        var effective = EmitCheckedEffectiveAddress(offset, size);
        EmitViewPointer(effective);
        ReleaseScratch(effective);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(load);
        if (widen != OpCodes.Nop) _il.Emit(widen);
    }

    /// <summary>A store to the memory view, inline for the same reason as <see cref="EmitLoad"/>; the value is parked while the address is checked.</summary>
    private void EmitStore(Opcode opcode, ulong offset)
    {
        var (size, store, valueType, narrow) = opcode switch
        {
            Opcode.I32Store => (4, OpCodes.Stind_I4, typeof(int), OpCodes.Nop),
            Opcode.I64Store => (8, OpCodes.Stind_I8, typeof(long), OpCodes.Nop),
            Opcode.F32Store => (4, OpCodes.Stind_R4, typeof(float), OpCodes.Nop),
            Opcode.F64Store => (8, OpCodes.Stind_R8, typeof(double), OpCodes.Nop),
            Opcode.I32Store8 => (1, OpCodes.Stind_I1, typeof(int), OpCodes.Nop),
            Opcode.I32Store16 => (2, OpCodes.Stind_I2, typeof(int), OpCodes.Nop),
            Opcode.I64Store8 => (1, OpCodes.Stind_I1, typeof(long), OpCodes.Conv_I4),
            Opcode.I64Store16 => (2, OpCodes.Stind_I2, typeof(long), OpCodes.Conv_I4),
            _ => (4, OpCodes.Stind_I4, typeof(long), OpCodes.Conv_I4), // I64Store32
        };
        var value = RentScratch(valueType);
        _il.Emit(OpCodes.Stloc, value);
        var effective = EmitCheckedEffectiveAddress(offset, size);
        EmitViewPointer(effective);
        ReleaseScratch(effective);
        _il.Emit(OpCodes.Ldloc, value);
        ReleaseScratch(value);
        if (narrow != OpCodes.Nop) _il.Emit(narrow);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(store);
    }

    /// <summary>
    /// Pops the 32-bit address, stores address + offset (at most 2^33, no overflow in 64 bits) in a scratch
    /// local, and traps unless the access's last byte lies within the view.
    /// </summary>
    private LocalBuilder EmitCheckedEffectiveAddress(ulong offset, int size)
    {
        var effective = RentScratch(typeof(ulong));
        _il.Emit(OpCodes.Conv_U8); // zero-extends the i32 address
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, effective);
        var inBounds = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, effective);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldloc, _memoryLength!);
        _il.Emit(OpCodes.Ble_Un, inBounds);
        EmitTrap(TrapCode.MemoryOutOfBounds);
        _il.MarkLabel(inBounds);
        return effective;
    }

    /// <summary>Pushes the view's base plus the checked effective address.</summary>
    private void EmitViewPointer(LocalBuilder effective)
    {
        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Ldloc, effective);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Add);
    }

    private void PopN(int count)
    {
        for (int i = 0; i < count; i++) Pop();
    }
}
