using Wt = global::Wasmtime;

namespace WasmKit.SpecTests;

/// <summary>
/// Interprets one converted script against Wasmtime (the <c>Wasmtime</c> NuGet package, default configuration:
/// SIMD, reference types, bulk memory, multi-value). A cross-check of the harness: the same scripts, the same
/// counting and value rules as <see cref="SpecScriptRunner"/>, another engine. One Engine, Store and Linker per script.
/// Decoding and validation errors are both <see cref="Wt.WasmtimeException"/> in Wasmtime, so assert_malformed and
/// assert_invalid only require that exception; traps are compared by Wasmtime's trap code (<see cref="WasmtimeTrapCodes"/>).
/// </summary>
internal sealed class WasmtimeScriptRunner : ISpecScriptRunner
{
    private readonly string _directory;
    private readonly ScriptResult _result;
    private readonly Wt.Engine _engine = new(SpecFeatures());
    private readonly Wt.Store _store;
    private readonly Wt.Linker _linker;
    private readonly List<Wt.Module> _modules = [];
    private readonly Dictionary<string, LoadedModule> _namedModules = [];
    private LoadedModule? _currentModule;
    private volatile int _currentLine;

    public WasmtimeScriptRunner(string directory, ScriptResult result, TextWriter? log)
    {
        _directory = directory;
        _result = result;
        _store = new Wt.Store(_engine);
        _linker = new Wt.Linker(_engine) { AllowShadowing = true };
        WasmtimeSpectestHostModule.Define(_linker, _store, log);
    }

    public int CurrentLine => _currentLine;

    /// <summary>
    /// Wasmtime's default configuration (SIMD, reference types, bulk memory, multi-value all on) minus the proposals that
    /// came after the 2.0 suite and turn some of its assert_malformed/assert_invalid modules valid: multi-memory
    /// (memory index instead of a zero byte, a second memory), memory64 (64-bit limits LEBs), GC and function references
    /// (a constant expression may read any earlier immutable global). Each one costs exactly those assertions otherwise.
    /// </summary>
    public static Wt.Config SpecFeatures() => new Wt.Config()
        .WithSIMD(true)
        .WithMultiMemory(false)
        .WithMemory64(false)
        .WithGc(false)
        .WithFunctionReferences(false);

    public void Run(WastScript script)
    {
        foreach (var command in script.Commands)
        {
            _currentLine = command.Line;
            Execute(command);
        }
    }

    public void Dispose()
    {
        _linker.Dispose();
        _store.Dispose();
        foreach (var module in _modules) module.Dispose();
        _engine.Dispose();
    }

    private void Execute(WastCommand command)
    {
        switch (command.Type)
        {
            case "module":
                DefineModule(command);
                break;
            case "register":
                Register(command);
                break;
            case "action":
                RunAction(command);
                break;
            case "assert_return":
                _result.Check(command, AssertReturn);
                break;
            case "assert_trap" when command.Action is null:
            case "assert_uninstantiable":
                _result.Check(command, ExpectInstantiationTrap);
                break;
            case "assert_trap":
                _result.Check(command, c => ExpectActionTrap(c, exhaustion: false));
                break;
            case "assert_exhaustion":
                _result.Check(command, c => ExpectActionTrap(c, exhaustion: true));
                break;
            case "assert_invalid":
            case "assert_malformed":
                _result.Check(command, ExpectRejected);
                break;
            case "assert_unlinkable":
                _result.Check(command, ExpectLinkError);
                break;
            default:
                _result.Skip();
                break;
        }
    }

    private void DefineModule(WastCommand command)
    {
        LoadedModule loaded;
        if (command.ModuleType == "text")
        {
            loaded = new LoadedModule(command.Line, null, "text modules are not supported");
        }
        else
        {
            try
            {
                loaded = new LoadedModule(command.Line, _linker.Instantiate(_store, LoadModule(command)), null);
            }
            catch (Exception e)
            {
                loaded = new LoadedModule(command.Line, null, SpecScriptRunner.Describe(e));
            }
        }
        if (loaded.Error is not null) _result.Fail(command.Line, $"module {command.Filename}: {loaded.Error}");
        _currentModule = loaded;
        if (command.Name is string name) _namedModules[name] = loaded;
    }

    private void Register(WastCommand command)
    {
        try
        {
            var instance = ResolveInstance(command.Name);
            _linker.DefineInstance(_store, command.As ?? throw new InvalidDataException("register without 'as'"), instance);
        }
        catch (Exception e)
        {
            _result.Fail(command.Line, $"register {command.Name ?? "(current module)"} as \"{command.As}\": {SpecScriptRunner.Describe(e)}");
        }
    }

    private void RunAction(WastCommand command)
    {
        try
        {
            Perform(command.Action!);
        }
        catch (Exception e)
        {
            _result.Fail(command.Line, $"action {SpecDescriptions.Subject(command)}: {SpecScriptRunner.Describe(e)}");
        }
    }

    private string? AssertReturn(WastCommand command) =>
        SpecReturnCheck.Compare(command, Perform, WasmtimeSpecValues.Mismatch, WasmtimeSpecValues.Describe, WasmtimeSpecValues.Describe);

    private string? ExpectActionTrap(WastCommand command, bool exhaustion)
    {
        string wanted = $"trap \"{command.Text}\"";
        try
        {
            var results = Perform(command.Action!);
            return $"expected {wanted}, returned {DescribeActual(results)}";
        }
        catch (Wt.TrapException trap)
        {
            string? mismatch = exhaustion
                ? trap.Type == Wt.TrapCode.StackOverflow ? null : $"trapped with {trap.Type}, expected {Wt.TrapCode.StackOverflow}"
                : WasmtimeTrapCodes.Mismatch(command.Text, trap);
            return mismatch is null ? null : $"expected {wanted}: {mismatch} ({SpecScriptRunner.Describe(trap)})";
        }
        catch (UnavailableTargetException e)
        {
            return $"expected {wanted}; {e.Message}";
        }
        catch (Exception e) when (e is not UnsupportedCommandException)
        {
            return $"expected {wanted}, threw {SpecScriptRunner.Describe(e)}";
        }
    }

    // Wasmtime reports malformed and invalid modules alike (WasmtimeException from Module.FromBytes).
    private string? ExpectRejected(WastCommand command)
    {
        string wanted = $"{nameof(Wt.WasmtimeException)} (\"{command.Text}\")";
        try
        {
            LoadModule(command);
            return $"expected {wanted}, the module loaded";
        }
        catch (Wt.WasmtimeException e) when (e is not Wt.TrapException)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"expected {wanted}, threw {SpecScriptRunner.Describe(e)}";
        }
    }

    private string? ExpectLinkError(WastCommand command) =>
        ExpectInstantiationFailure(command, $"link error (\"{command.Text}\")",
            e => e is Wt.WasmtimeException and not Wt.TrapException ? null : "");

    private string? ExpectInstantiationTrap(WastCommand command) =>
        ExpectInstantiationFailure(command, $"trap \"{command.Text}\"",
            e => e is Wt.TrapException trap ? WasmtimeTrapCodes.Mismatch(command.Text, trap) : "");

    private string? ExpectInstantiationFailure(WastCommand command, string wanted, Func<Exception, string?> mismatch)
    {
        Wt.Module module;
        try
        {
            module = LoadModule(command);
        }
        catch (Exception e)
        {
            return $"expected {wanted} when instantiating, but loading threw {SpecScriptRunner.Describe(e)}";
        }
        try
        {
            _linker.Instantiate(_store, module);
            return $"expected {wanted}, the module instantiated";
        }
        catch (Exception e) when (e is not UnsupportedCommandException)
        {
            string? why = mismatch(e);
            if (why is null) return null;
            return why.Length == 0 ? $"expected {wanted}, threw {SpecScriptRunner.Describe(e)}" : $"expected {wanted}: {why} ({SpecScriptRunner.Describe(e)})";
        }
    }

    private Wt.Module LoadModule(WastCommand command)
    {
        string file = command.Filename ?? throw new InvalidDataException($"{command.Type} without a filename");
        byte[] bytes = File.ReadAllBytes(Path.Combine(_directory, file));
        var module = Wt.Module.FromBytes(_engine, command.Name ?? Path.GetFileNameWithoutExtension(file), bytes);
        _modules.Add(module);
        return module;
    }

    private object?[] Perform(WastAction action)
    {
        var instance = ResolveInstance(action.Module);
        switch (action.Type)
        {
            case "invoke":
            {
                var function = instance.GetFunction(action.Field)
                    ?? throw new UnavailableTargetException($"no exported function \"{action.Field}\"");
                var arguments = (action.Args ?? []).Select(WasmtimeSpecValues.ToArgument).ToArray();
                object? returned = function.Invoke(arguments);
                // Wasmtime returns null for no result, the value for one, an array for several.
                return function.Results.Count switch
                {
                    0 => [],
                    1 => [WasmtimeSpecValues.FromResult(returned)],
                    _ => ((object?[])returned!).Select(WasmtimeSpecValues.FromResult).ToArray(),
                };
            }
            case "get":
            {
                var global = instance.GetGlobal(action.Field)
                    ?? throw new UnavailableTargetException($"no exported global \"{action.Field}\"");
                return [WasmtimeSpecValues.FromResult(global.GetValue())];
            }
            default:
                throw new UnsupportedCommandException($"action type {action.Type}");
        }
    }

    private Wt.Instance ResolveInstance(string? moduleName)
    {
        LoadedModule? module = moduleName is null ? _currentModule : _namedModules.GetValueOrDefault(moduleName);
        if (module is null)
            throw new UnavailableTargetException(moduleName is null ? "no module has been defined" : $"no module named {moduleName}");
        return module.Instance
            ?? throw new UnavailableTargetException($"the module from line {module.Line} failed to load: {module.Error}");
    }

    private static string DescribeActual(object?[] values) =>
        "[" + string.Join(", ", values.Select(WasmtimeSpecValues.Describe)) + "]";

    /// <summary>A module the script defined, or why it could not be.</summary>
    private sealed record LoadedModule(int Line, Wt.Instance? Instance, string? Error);

}
