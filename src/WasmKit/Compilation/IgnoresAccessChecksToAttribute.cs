namespace System.Runtime.CompilerServices;

/// <summary>
/// Recognised by the runtime by name: applied to a dynamic assembly, it lets that assembly's code
/// use WasmKit's internal types, so generated code can read runtime state without making it public.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    public string AssemblyName { get; }
}
