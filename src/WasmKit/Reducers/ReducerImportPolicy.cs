using System.Buffers.Binary;
using System.Text;
using WasmKit.Backends;

namespace WasmKit.Reducers;

/// <summary>
/// What a reducer module may import: nothing that could tell two replays apart. The allowlist holds one
/// import, AssemblyScript's <c>env.abort(message, file, line, column)</c>, which the host binds to a trap;
/// every other import (WASI clocks and randomness, any host function, imported memories, tables, globals)
/// is refused at load with a <see cref="NondeterministicImportException"/>.
/// </summary>
public static class ReducerImportPolicy
{
    /// <summary>The allowed abort import's module name.</summary>
    public const string AbortModule = "env";

    /// <summary>The allowed abort import's name.</summary>
    public const string AbortName = "abort";

    /// <summary>The abort import's type: (message i32, file i32, line i32, column i32) -> ().</summary>
    public static FunctionType AbortType { get; } =
        FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], []);

    // An abort message longer than this is cut: the guest chooses its length.
    private const int MaximumMessageChars = 200;

    /// <summary>Whether a reducer module may have this import.</summary>
    /// <param name="import">The import.</param>
    /// <returns>True only for <c>env.abort</c> of <see cref="AbortType"/>.</returns>
    public static bool IsAllowed(ImportDescriptor import)
    {
        ArgumentNullException.ThrowIfNull(import);
        return import is { ModuleName: AbortModule, Name: AbortName, Kind: ExternalKind.Function }
            && AbortType.Equals(import.Type);
    }

    /// <summary>The allowlist in words, for error messages.</summary>
    /// <returns>E.g. "env.abort: (i32, i32, i32, i32) -> () (it traps)".</returns>
    public static string Describe() => $"{AbortModule}.{AbortName}: {AbortType} (it traps)";

    /// <summary>Throws for the first import the policy refuses.</summary>
    /// <param name="reducerName">The module's name, for the message.</param>
    /// <param name="imports">The module's imports.</param>
    /// <exception cref="NondeterministicImportException">An import is not allowed.</exception>
    internal static void Enforce(string reducerName, IReadOnlyList<ImportDescriptor> imports)
    {
        foreach (var import in imports)
            if (!IsAllowed(import)) throw new NondeterministicImportException(reducerName, import);
    }

    /// <summary>The imports a reducer instance links: the trapping abort, whether the module imports it or not.</summary>
    internal static BackendImports CreateImports() => new()
    {
        HostFunctions = [new HostFunctionDefinition(AbortModule, AbortName, AbortType, Abort)],
    };

    private static void Abort(HostCallContext context, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        string message = ReadAssemblyScriptString(context.Memory, (uint)arguments[0]) ?? "(no message)";
        string file = ReadAssemblyScriptString(context.Memory, (uint)arguments[1]) ?? "(unknown file)";
        throw new WasmTrapException(TrapCode.Unreachable,
            $"The reducer aborted: {message} at {file}:{(uint)arguments[2]}:{(uint)arguments[3]}.");
    }

    // An AssemblyScript string: UTF-16 code units, preceded by its byte length at pointer - 4. Null when
    // the pointer or length does not fit the memory (the guest may pass anything).
    private static string? ReadAssemblyScriptString(ReadOnlySpan<byte> memory, uint pointer)
    {
        if (pointer < 4 || pointer > memory.Length) return null;
        uint byteLength = BinaryPrimitives.ReadUInt32LittleEndian(memory[(int)(pointer - 4)..]);
        if (byteLength > memory.Length - pointer) return null;
        int chars = (int)Math.Min(byteLength / 2, MaximumMessageChars);
        var text = Encoding.Unicode.GetString(memory.Slice((int)pointer, chars * 2));
        return chars < byteLength / 2 ? text + "..." : text;
    }
}
