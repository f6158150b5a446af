namespace WasmKit.SpecTests;

/// <summary>The host object a script means by <c>ref.extern N</c>; equal ids are equal references.</summary>
internal sealed record ExternRef(uint Id)
{
    public override string ToString() => $"ref.extern {Id}";
}
