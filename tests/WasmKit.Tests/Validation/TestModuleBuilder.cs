using WasmKit.BinaryFormat;

namespace WasmKit.Tests.Validation;

/// <summary>Builds <see cref="ModuleDefinition"/>s by hand: function bodies are raw code bytes placed in the module's byte array.</summary>
internal sealed class TestModuleBuilder
{
    private readonly List<byte> _bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
    private readonly List<(uint TypeIndex, ValueKind[] Locals, int Start, int End)> _functions = [];
    private readonly List<FunctionType> _types = [];
    private readonly List<Action<ModuleDefinition>> _setup = [];

    public uint AddType(FunctionType type)
    {
        int index = _types.IndexOf(type);
        if (index >= 0) return (uint)index;
        _types.Add(type);
        return (uint)(_types.Count - 1);
    }

    /// <summary>Adds a defined function whose body is <paramref name="code"/> (which must include the final <c>end</c>).</summary>
    /// <returns>The code's byte offset in the module, where the first instruction is.</returns>
    public int AddFunction(FunctionType type, byte[] code, params ValueKind[] locals)
    {
        uint typeIndex = AddType(type);
        int start = _bytes.Count;
        _bytes.AddRange(code);
        _functions.Add((typeIndex, locals, start, _bytes.Count));
        return start;
    }

    public TestModuleBuilder With(Action<ModuleDefinition> setup)
    {
        _setup.Add(setup);
        return this;
    }

    public TestModuleBuilder ImportFunction(FunctionType type)
    {
        uint typeIndex = AddType(type);
        return With(m => m.AddImport(new ImportDefinition("env", "f", ExternalKind.Function, typeIndex, default, default, default, 0)));
    }

    public TestModuleBuilder ImportGlobal(ValueKind kind, bool mutable) =>
        With(m => m.AddImport(new ImportDefinition("env", "g", ExternalKind.Global, 0, default, default, new GlobalType(kind, mutable), 0)));

    public TestModuleBuilder Memory(uint minimum = 1, uint? maximum = null) =>
        With(m => m.Memories.Add(new MemoryType(new Limits(minimum, maximum))));

    public TestModuleBuilder Table(ValueKind element = ValueKind.FuncRef, uint minimum = 1, uint? maximum = null) =>
        With(m => m.Tables.Add(new TableType(element, new Limits(minimum, maximum))));

    public TestModuleBuilder Global(ValueKind kind, bool mutable, params Instruction[] initializer) =>
        With(m => m.Globals.Add(new GlobalDefinition(new GlobalType(kind, mutable), new ConstantExpression(initializer, 0))));

    public ModuleDefinition Build()
    {
        var module = new ModuleDefinition(_bytes.ToArray());
        module.Types.AddRange(_types);
        foreach (var setup in _setup) setup(module);
        foreach (var (typeIndex, locals, start, end) in _functions)
        {
            module.FunctionTypeIndices.Add(typeIndex);
            module.Bodies.Add(new FunctionBody(locals, start, end, start));
        }
        module.InvalidateIndexSpaces();
        return module;
    }

    public static FunctionType Type(ValueKind[] parameters, ValueKind[] results) => FunctionType.Of(parameters, results);

    public static Instruction I32Const(int value) => new() { Opcode = Opcode.I32Const, Constant = value };

    public static Instruction GlobalGet(uint index) => new() { Opcode = Opcode.GlobalGet, Index = index };

    public static Instruction RefFunc(uint index) => new() { Opcode = Opcode.RefFunc, Index = index };

    public static Instruction RefNull(ValueKind kind) => new() { Opcode = Opcode.RefNull, ValueType = kind };

    public static Instruction Nop() => new() { Opcode = Opcode.Nop };
}
