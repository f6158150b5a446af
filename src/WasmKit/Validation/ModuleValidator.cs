using WasmKit.BinaryFormat;

namespace WasmKit.Validation;

/// <summary>Checks a decoded module against the WebAssembly validation rules.</summary>
internal static class ModuleValidator
{
    /// <summary>Validates the module; a broken rule raises <see cref="WasmValidationException"/>.</summary>
    public static void Validate(ModuleDefinition module) => throw new NotImplementedException();
}
