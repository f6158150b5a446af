namespace WasmKit.SpecTests;

/// <summary>
/// Interprets one converted script against WasmKit: one Engine, Store and Linker per script.
/// Counting: every command except module, register and action is an assertion (passed, failed or skipped).
/// module, register and action commands pass silently; when one fails it is counted as a failure (the
/// script fails), and the assertions that then depend on it fail on their own.
/// </summary>
internal sealed class SpecScriptRunner : ISpecScriptRunner
{
    private readonly string _directory;
    private readonly ScriptResult _result;
    private readonly Engine _engine;
    private readonly Store _store;
    private readonly Linker _linker;
    private readonly Dictionary<string, LoadedModule> _namedModules = [];
    private LoadedModule? _currentModule;
    private volatile int _currentLine;

    public SpecScriptRunner(string directory, ScriptResult result, TextWriter? log, EngineOptions? options = null)
    {
        _engine = new Engine(options ?? new EngineOptions());
        _directory = directory;
        _result = result;
        _store = new Store(_engine);
        _linker = new Linker(_engine) { AllowShadowing = true };
        SpectestHostModule.Define(_linker, _store, log);
    }

    /// <summary>The .wast line of the command being run; read by the watchdog when a script hangs.</summary>
    public int CurrentLine => _currentLine;

    /// <summary>The assertions a script holds, for reporting a script that never finished.</summary>
    public static int CountAssertions(WastScript script) =>
        script.Commands.Count(c => c.Type is not ("module" or "register" or "action"));

    public void Run(WastScript script)
    {
        foreach (var command in script.Commands)
        {
            _currentLine = command.Line;
            Execute(command);
        }
    }

    public void Dispose() => _engine.Dispose();

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
                // Older wast2json versions spell a module that traps during instantiation this way.
                _result.Check(command, ExpectInstantiationTrap);
                break;
            case "assert_trap":
                _result.Check(command, c => ExpectActionTrap(c, exhaustion: false));
                break;
            case "assert_exhaustion":
                _result.Check(command, c => ExpectActionTrap(c, exhaustion: true));
                break;
            case "assert_invalid":
                _result.Check(command, ExpectRejected<WasmValidationException>);
                break;
            case "assert_malformed":
                _result.Check(command, ExpectRejected<WasmFormatException>);
                break;
            case "assert_unlinkable":
                _result.Check(command, ExpectLinkError);
                break;
            case "assert_uninstantiable":
                _result.Check(command, ExpectInstantiationTrap);
                break;
            default:
                _result.Skip();
                break;
        }
    }

    private void DefineModule(WastCommand command)
    {
        var loaded = InstantiateModule(command);
        if (loaded.Error is not null) _result.Fail(command.Line, $"module {command.Filename}: {loaded.Error}");
        _currentModule = loaded;
        if (command.Name is string name) _namedModules[name] = loaded;
    }

    private LoadedModule InstantiateModule(WastCommand command)
    {
        // A binary engine cannot load text; whatever uses such a module fails.
        if (command.ModuleType == "text") return new LoadedModule(command.Line, null, "text modules are not supported");
        try
        {
            return new LoadedModule(command.Line, _linker.Instantiate(_store, LoadModule(command)), null);
        }
        catch (Exception e)
        {
            return new LoadedModule(command.Line, null, Describe(e));
        }
    }

    private void Register(WastCommand command)
    {
        try
        {
            var instance = ResolveInstance(command.Name);
            _linker.DefineInstance(command.As ?? throw new InvalidDataException("register without 'as'"), instance);
        }
        catch (Exception e)
        {
            _result.Fail(command.Line, $"register {command.Name ?? "(current module)"} as \"{command.As}\": {Describe(e)}");
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
            _result.Fail(command.Line, $"action {SpecDescriptions.Subject(command)}: {Describe(e)}");
        }
    }

    private string? AssertReturn(WastCommand command)
    {
        RejectV128(command);
        return SpecReturnCheck.Compare(command, Perform, SpecValues.Mismatch, SpecValues.Describe, SpecValues.Describe);
    }

    private string? ExpectActionTrap(WastCommand command, bool exhaustion)
    {
        RejectV128(command);
        string wanted = $"trap \"{command.Text}\"";
        try
        {
            var results = Perform(command.Action!);
            return $"expected {wanted}, returned {DescribeActual(results)}";
        }
        catch (WasmTrapException trap)
        {
            // assert_exhaustion always means running out of stack, whatever its text says.
            string? mismatch = exhaustion
                ? trap.Code == TrapCode.CallStackExhausted ? null : $"trapped with {trap.Code}, expected {TrapCode.CallStackExhausted}"
                : SpecTrapMessages.Mismatch(command.Text, trap);
            return mismatch is null ? null : $"expected {wanted}: {mismatch} ({Describe(trap)})";
        }
        catch (UnavailableTargetException e)
        {
            return $"expected {wanted}; {e.Message}";
        }
        catch (Exception e) when (e is not UnsupportedCommandException)
        {
            return $"expected {wanted}, threw {Describe(e)}";
        }
    }

    // assert_malformed must be refused by the decoder (WasmFormatException), assert_invalid by the validator
    // (WasmValidationException); the other exception means the check sits in the wrong place.
    private string? ExpectRejected<TException>(WastCommand command)
        where TException : WasmException
    {
        string wanted = $"{typeof(TException).Name} (\"{command.Text}\")";
        try
        {
            LoadModule(command);
            return $"expected {wanted}, the module loaded";
        }
        catch (TException)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"expected {wanted}, threw {Describe(e)}";
        }
    }

    private string? ExpectLinkError(WastCommand command) =>
        ExpectInstantiationFailure(command, $"{nameof(WasmLinkException)} (\"{command.Text}\")", e => e is WasmLinkException ? null : "");

    // assert_uninstantiable: the module links, then its start function or an active segment traps as the text says.
    private string? ExpectInstantiationTrap(WastCommand command) =>
        ExpectInstantiationFailure(command, $"trap \"{command.Text}\"",
            e => e is WasmTrapException trap ? SpecTrapMessages.Mismatch(command.Text, trap) : "");

    /// <summary>
    /// Loads and instantiates a module that must fail to instantiate; <paramref name="mismatch"/> returns null when the
    /// exception is the expected one, else why not (empty: the wrong exception type).
    /// </summary>
    private string? ExpectInstantiationFailure(WastCommand command, string wanted, Func<Exception, string?> mismatch)
    {
        Module module;
        try
        {
            module = LoadModule(command);
        }
        catch (Exception e)
        {
            return $"expected {wanted} when instantiating, but loading threw {Describe(e)}";
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
            return why.Length == 0 ? $"expected {wanted}, threw {Describe(e)}" : $"expected {wanted}: {why} ({Describe(e)})";
        }
    }

    private Module LoadModule(WastCommand command)
    {
        string file = command.Filename ?? throw new InvalidDataException($"{command.Type} without a filename");
        byte[] bytes = File.ReadAllBytes(Path.Combine(_directory, file));
        return Module.FromBytes(_engine, bytes, command.Name ?? Path.GetFileNameWithoutExtension(file));
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
                var arguments = (action.Args ?? []).Select(SpecValues.ToArgument).ToArray();
                var results = new object?[function.Type.Results.Length];
                function.Invoke(arguments, results);
                return results;
            }
            case "get":
            {
                var global = instance.GetGlobal(action.Field)
                    ?? throw new UnavailableTargetException($"no exported global \"{action.Field}\"");
                return [global.Value];
            }
            default:
                throw new UnsupportedCommandException($"action type {action.Type}");
        }
    }

    private Instance ResolveInstance(string? moduleName)
    {
        LoadedModule? module = moduleName is null ? _currentModule : _namedModules.GetValueOrDefault(moduleName);
        if (module is null)
            throw new UnavailableTargetException(moduleName is null ? "no module has been defined" : $"no module named {moduleName}");
        return module.Instance
            ?? throw new UnavailableTargetException($"the module from line {module.Line} failed to load: {module.Error}");
    }

    private static void RejectV128(WastCommand command)
    {
        var values = (command.Action?.Args ?? []).Concat(command.Expected ?? []);
        if (values.Any(SpecValues.IsV128)) throw new UnsupportedCommandException("v128 values");
    }

    private static string DescribeActual(object?[] values) =>
        "[" + string.Join(", ", values.Select(SpecValues.Describe)) + "]";

    internal static string Describe(Exception e)
    {
        if (e is UnavailableTargetException) return e.Message;
        string message = e.Message.ReplaceLineEndings(" ");
        if (message.Length > 300) message = message[..300] + "...";
        return $"{e.GetType().Name}: {message}";
    }

    /// <summary>A module the script defined, or why it could not be.</summary>
    private sealed record LoadedModule(int Line, Instance? Instance, string? Error);

}
