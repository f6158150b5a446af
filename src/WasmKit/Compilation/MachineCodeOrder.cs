using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// The order in which to compile a module's functions to machine code before their calls (see
/// <see cref="MachineCodePreparation"/>), as indices of defined functions.
/// </summary>
internal static class MachineCodeOrder
{
    /// <summary>
    /// Largest body first: when everything must be compiled before the load returns, the longest compiles
    /// start early and the short ones fill in at the end, so the threads finish together.
    /// </summary>
    public static int[] LargestFirst(ModuleDefinition module) =>
        Enumerable.Range(0, module.Bodies.Count)
            .OrderByDescending(i => module.Bodies[i].CodeEnd - module.Bodies[i].CodeStart)
            .ThenBy(i => i)
            .ToArray();

    /// <summary>
    /// Roughly the order of first calls, so that background threads compile what the guest needs next rather than
    /// what it may never call: depth first over direct calls from the start function, then the exports in order,
    /// each function's callees in the order its body calls them (how a run first reaches them, if every branch were
    /// taken); then the functions only reachable indirectly, largest first. Linear in the size of the code section.
    /// </summary>
    public static int[] ByFirstCall(ModuleDefinition module)
    {
        int imported = module.ImportedFunctionCount;
        int defined = module.Bodies.Count;
        var order = new List<int>(defined);
        var visited = new bool[defined];
        var pending = new Stack<int>();
        var callees = new List<int>();

        var roots = new List<uint>();
        if (module.StartFunction is uint start) roots.Add(start);
        roots.AddRange(module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Index));
        foreach (uint root in roots)
        {
            pending.Push((int)root - imported);
            while (pending.Count > 0)
            {
                int function = pending.Pop();
                if (function < 0 || function >= defined || visited[function]) continue;
                visited[function] = true;
                order.Add(function);
                callees.Clear();
                var body = module.Bodies[function];
                var reader = new InstructionReader(module.Bytes, body.CodeStart, body.CodeEnd);
                while (!reader.AtEnd)
                {
                    var instruction = reader.Read();
                    if (instruction.Opcode == Opcode.Call) callees.Add((int)instruction.Index - imported);
                }
                // Reversed, so that the first callee is compiled first.
                for (int c = callees.Count - 1; c >= 0; c--)
                    if (callees[c] >= 0 && callees[c] < defined && !visited[callees[c]]) pending.Push(callees[c]);
            }
        }
        order.AddRange(LargestFirst(module).Where(i => !visited[i]));
        return order.ToArray();
    }
}
