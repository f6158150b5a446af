namespace WasmKit;

/// <summary>A global's value kind and mutability.</summary>
/// <param name="ValueKind">The kind of value the global holds.</param>
/// <param name="Mutable">Whether <c>global.set</c> may change it.</param>
public readonly record struct GlobalType(ValueKind ValueKind, bool Mutable)
{
    /// <summary>The text-format form.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Mutable ? $"(global (mut {ValueKind.ToWasmName()}))" : $"(global {ValueKind.ToWasmName()})";
}
