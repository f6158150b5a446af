using System.Reflection.Emit;

namespace WasmKit.Compilation;

/// <summary>
/// The memory view: memory 0's base address and byte length held in two locals, so that a load or
/// store costs one compare against a register instead of three dependent field loads (the JIT cannot
/// keep those fields in registers itself, since every store through a pointer may have changed them).
/// The view is read at entry and again after anything that may change the memory under it: a call
/// (the callee, or a host function it reaches, may grow the memory or dispose the store, which empties
/// it) and memory.grow (the memory grows in place: only its length changes). No other instruction runs
/// host code or resizes memory. The bounds check itself is unchanged, so an emptied memory still traps
/// on every access.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private LocalBuilder? _memoryBase;
    private LocalBuilder? _memoryLength;

    /// <summary>Whether this function keeps a memory view: it has loads or stores that read it.</summary>
    private bool HasMemoryView => _memoryBase is not null;

    /// <summary>Declares the view's locals when the body accesses memory 0 through loads or stores.</summary>
    private void DeclareMemoryView()
    {
        if (_definition.TotalMemoryCount == 0 || !_traits.AccessesMemory) return;
        _memoryBase = _il.DeclareLocal(typeof(nint));
        _memoryLength = _il.DeclareLocal(typeof(ulong));
    }

    /// <summary>(Re)reads the view from memory 0; leaves the IL stack as it was.</summary>
    private void EmitReloadMemoryView()
    {
        if (!HasMemoryView) return;
        EmitLoadMemory();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldfld, Members.MemoryBase);
        _il.Emit(OpCodes.Stloc, _memoryBase!);
        _il.Emit(OpCodes.Ldfld, Members.MemoryByteLength);
        _il.Emit(OpCodes.Stloc, _memoryLength!);
    }

    /// <summary>Pushes the view (base, then length) for a <see cref="Runtime.MemoryAccess"/> helper.</summary>
    private void EmitLoadMemoryView()
    {
        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Ldloc, _memoryLength!);
    }
}
