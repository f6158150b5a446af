using System.Reflection;
using WasmKit.Backends;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Host functions bound as Wasmtime's typed callbacks (about ten times cheaper per call than its untyped
/// callbacks, which box every value): one generic class per arity, closed over the signature's CLR types
/// once per linker (<see cref="TryDefine"/>); a call packs the arguments into slots on the stack and
/// calls the definition's general body. No allocation per call.
/// </summary>
internal static class TypedHostFunctions
{
    /// <summary>The most parameters a typed binding takes, with or without a result.</summary>
    public const int MaximumParameters = 8;

    /// <summary>Defines <paramref name="definition"/>'s synchronous body as a typed callback; false when its signature has no typed binding.</summary>
    public static bool TryDefine(Wt.Linker linker, HostFunctionDefinition definition, HostFunctionImplementation body)
    {
        var type = definition.Type;
        if (type.Parameters.Length > MaximumParameters || type.Results.Length > 1) return false;
        var clrTypes = new List<Type>();
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            var clr = WasmtimeTypedCall.ClrTypeOf(kind);
            if (clr is null) return false;
            clrTypes.Add(clr);
        }
        bool hasResult = type.Results.Length == 1;
        string name = (hasResult ? "Func" : "Action") + type.Parameters.Length + (clrTypes.Count > 0 ? "`" + clrTypes.Count : "");
        var definitionType = typeof(TypedHostFunctions).GetNestedType(name, BindingFlags.NonPublic)!;
        var closed = clrTypes.Count > 0 ? definitionType.MakeGenericType([.. clrTypes]) : definitionType;
        var define = closed.GetMethod("Define", BindingFlags.Public | BindingFlags.Static)!
            .CreateDelegate<Action<Wt.Linker, string, string, HostFunctionImplementation>>();
        define(linker, definition.ModuleName, definition.Name, body);
        return true;
    }

    private static HostCallContext Context(Wt.Caller caller) =>
        (caller.GetData() as WasmtimeInstance
            ?? throw new InvalidOperationException("A WasmKit host function was called from a store the Wasmtime backend did not make.")).CallContext(caller);

    private static class Func0<TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller) =>
        {
            Span<ulong> s = stackalloc ulong[1];
            body(Context(caller), s[..0], s[0..]);
            return WasmtimeTypedCall.From<TR>(s[0]);
        });
    }

    private static class Func1<TA, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0) =>
        {
            Span<ulong> s = stackalloc ulong[2];
            s[0] = WasmtimeTypedCall.To(a0!);
            body(Context(caller), s[..1], s[1..]);
            return WasmtimeTypedCall.From<TR>(s[1]);
        });
    }

    private static class Func2<TA, TB, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1) =>
        {
            Span<ulong> s = stackalloc ulong[3];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            body(Context(caller), s[..2], s[2..]);
            return WasmtimeTypedCall.From<TR>(s[2]);
        });
    }

    private static class Func3<TA, TB, TC, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2) =>
        {
            Span<ulong> s = stackalloc ulong[4];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            body(Context(caller), s[..3], s[3..]);
            return WasmtimeTypedCall.From<TR>(s[3]);
        });
    }

    private static class Func4<TA, TB, TC, TD, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3) =>
        {
            Span<ulong> s = stackalloc ulong[5];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            body(Context(caller), s[..4], s[4..]);
            return WasmtimeTypedCall.From<TR>(s[4]);
        });
    }

    private static class Func5<TA, TB, TC, TD, TE, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4) =>
        {
            Span<ulong> s = stackalloc ulong[6];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            body(Context(caller), s[..5], s[5..]);
            return WasmtimeTypedCall.From<TR>(s[5]);
        });
    }

    private static class Func6<TA, TB, TC, TD, TE, TF, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5) =>
        {
            Span<ulong> s = stackalloc ulong[7];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            body(Context(caller), s[..6], s[6..]);
            return WasmtimeTypedCall.From<TR>(s[6]);
        });
    }

    private static class Func7<TA, TB, TC, TD, TE, TF, TG, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5, TG? a6) =>
        {
            Span<ulong> s = stackalloc ulong[8];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            s[6] = WasmtimeTypedCall.To(a6!);
            body(Context(caller), s[..7], s[7..]);
            return WasmtimeTypedCall.From<TR>(s[7]);
        });
    }

    private static class Func8<TA, TB, TC, TD, TE, TF, TG, TH, TR>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5, TG? a6, TH? a7) =>
        {
            Span<ulong> s = stackalloc ulong[9];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            s[6] = WasmtimeTypedCall.To(a6!);
            s[7] = WasmtimeTypedCall.To(a7!);
            body(Context(caller), s[..8], s[8..]);
            return WasmtimeTypedCall.From<TR>(s[8]);
        });
    }

    private static class Action0
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller) =>
        {
            Span<ulong> s = stackalloc ulong[1];
            body(Context(caller), s[..0], []);
        });
    }

    private static class Action1<TA>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0) =>
        {
            Span<ulong> s = stackalloc ulong[1];
            s[0] = WasmtimeTypedCall.To(a0!);
            body(Context(caller), s[..1], []);
        });
    }

    private static class Action2<TA, TB>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1) =>
        {
            Span<ulong> s = stackalloc ulong[2];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            body(Context(caller), s[..2], []);
        });
    }

    private static class Action3<TA, TB, TC>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2) =>
        {
            Span<ulong> s = stackalloc ulong[3];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            body(Context(caller), s[..3], []);
        });
    }

    private static class Action4<TA, TB, TC, TD>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3) =>
        {
            Span<ulong> s = stackalloc ulong[4];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            body(Context(caller), s[..4], []);
        });
    }

    private static class Action5<TA, TB, TC, TD, TE>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4) =>
        {
            Span<ulong> s = stackalloc ulong[5];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            body(Context(caller), s[..5], []);
        });
    }

    private static class Action6<TA, TB, TC, TD, TE, TF>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5) =>
        {
            Span<ulong> s = stackalloc ulong[6];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            body(Context(caller), s[..6], []);
        });
    }

    private static class Action7<TA, TB, TC, TD, TE, TF, TG>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5, TG? a6) =>
        {
            Span<ulong> s = stackalloc ulong[7];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            s[6] = WasmtimeTypedCall.To(a6!);
            body(Context(caller), s[..7], []);
        });
    }

    private static class Action8<TA, TB, TC, TD, TE, TF, TG, TH>
    {
        public static void Define(Wt.Linker linker, string module, string name, HostFunctionImplementation body) =>
            linker.DefineFunction(module, name, (Wt.Caller caller, TA? a0, TB? a1, TC? a2, TD? a3, TE? a4, TF? a5, TG? a6, TH? a7) =>
        {
            Span<ulong> s = stackalloc ulong[8];
            s[0] = WasmtimeTypedCall.To(a0!);
            s[1] = WasmtimeTypedCall.To(a1!);
            s[2] = WasmtimeTypedCall.To(a2!);
            s[3] = WasmtimeTypedCall.To(a3!);
            s[4] = WasmtimeTypedCall.To(a4!);
            s[5] = WasmtimeTypedCall.To(a5!);
            s[6] = WasmtimeTypedCall.To(a6!);
            s[7] = WasmtimeTypedCall.To(a7!);
            body(Context(caller), s[..8], []);
        });
    }
}
