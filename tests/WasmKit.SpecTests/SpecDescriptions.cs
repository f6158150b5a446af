namespace WasmKit.SpecTests;

/// <summary>How failure lines name a script command, the same for every engine's runner.</summary>
internal static class SpecDescriptions
{
    /// <summary>The action and its arguments (<c>"f"(1, 2) [M]</c>, <c>get "g"</c>), or the module file.</summary>
    public static string Subject(WastCommand command)
    {
        if (command.Action is WastAction action)
        {
            string args = string.Join(", ", (action.Args ?? []).Select(SpecValues.Describe));
            string target = action.Module is null ? "" : $" [{action.Module}]";
            return action.Type == "get" ? $"get \"{action.Field}\"{target}" : $"\"{action.Field}\"({args}){target}";
        }
        return command.Filename ?? "";
    }
}
