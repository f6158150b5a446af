namespace WasmKit.SpecTests;

/// <summary>An action's target (module or export) does not exist: the script's fault or an earlier failure, not a throw by the engine.</summary>
internal sealed class UnavailableTargetException(string message) : Exception(message);
