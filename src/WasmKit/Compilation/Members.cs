using System.Reflection;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

/// <summary>The fields and methods generated code refers to, looked up once.</summary>
internal static class Members
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    public static readonly FieldInfo ContextState = Field<InstanceContext>(nameof(InstanceContext.State));
    public static readonly FieldInfo ContextMemory0 = Field<InstanceContext>(nameof(InstanceContext.Memory0));
    public static readonly FieldInfo ContextTables = Field<InstanceContext>(nameof(InstanceContext.Tables));
    public static readonly FieldInfo ContextGlobals = Field<InstanceContext>(nameof(InstanceContext.Globals));
    public static readonly FieldInfo ContextFunctions = Field<InstanceContext>(nameof(InstanceContext.Functions));
    public static readonly FieldInfo ContextImportCalls = Field<InstanceContext>(nameof(InstanceContext.ImportCalls));
    public static readonly FieldInfo StateStackLimit = Field<ExecutionState>(nameof(ExecutionState.StackLimit));
    public static readonly FieldInfo StateCaller = Field<ExecutionState>(nameof(ExecutionState.Caller));
    public static readonly FieldInfo FunctionCode = Field<Function>(nameof(Function.Code));
    public static readonly FieldInfo FunctionContext = Field<Function>(nameof(Function.Context));
    public static readonly FieldInfo GlobalBits = Field<Global>(nameof(Global.Bits));
    public static readonly FieldInfo GlobalReference = Field<Global>(nameof(Global.Reference));
    public static readonly FieldInfo TableLength = Field<Table>(nameof(Table.Length));
    public static readonly FieldInfo MemoryBase = Field<Memory>(nameof(Memory.Base));
    public static readonly FieldInfo MemoryByteLength = Field<Memory>(nameof(Memory.ByteLength));

    public static readonly MethodInfo StateCheckStack = Method(typeof(ExecutionState), nameof(ExecutionState.CheckStack));
    public static readonly MethodInfo StateCheckFrame = Method(typeof(ExecutionState), nameof(ExecutionState.CheckFrame));
    public static readonly MethodInfo StateEnter = typeof(ExecutionState).GetMethod(nameof(ExecutionState.Enter))!;
    public static readonly MethodInfo HandleGuestException = Method(typeof(InstanceContext), nameof(InstanceContext.HandleGuestException));
    public static readonly MethodInfo ConsumeFuel = Method(typeof(ExecutionState), nameof(ExecutionState.ConsumeFuel));
    public static readonly MethodInfo CheckInterrupt = Method(typeof(ExecutionState), nameof(ExecutionState.CheckInterrupt));
    public static readonly MethodInfo CreateTrap = typeof(Traps).GetMethod(nameof(Traps.Create), Static, [typeof(TrapCode)])!;
    public static readonly MethodInfo IndirectTarget = Method(typeof(BulkOperations), nameof(BulkOperations.IndirectTarget));

    public static readonly MethodInfo SelectI32 = Method(typeof(SelectOperations), nameof(SelectOperations.I32));
    public static readonly MethodInfo SelectI64 = Method(typeof(SelectOperations), nameof(SelectOperations.I64));
    public static readonly MethodInfo SelectF32 = Method(typeof(SelectOperations), nameof(SelectOperations.F32));
    public static readonly MethodInfo SelectF64 = Method(typeof(SelectOperations), nameof(SelectOperations.F64));
    public static readonly MethodInfo SelectReference = Method(typeof(SelectOperations), nameof(SelectOperations.Reference));

    public static readonly MethodInfo Int32BitsToSingle = typeof(BitConverter).GetMethod(nameof(BitConverter.Int32BitsToSingle))!;
    public static readonly MethodInfo SingleToInt32Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits))!;
    public static readonly MethodInfo Int64BitsToDouble = typeof(BitConverter).GetMethod(nameof(BitConverter.Int64BitsToDouble))!;
    public static readonly MethodInfo DoubleToInt64Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits))!;

    public static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, Static) ?? throw new MissingMethodException(type.Name, name);

    private static FieldInfo Field<T>(string name) =>
        typeof(T).GetField(name, Instance) ?? throw new MissingFieldException(typeof(T).Name, name);
}
