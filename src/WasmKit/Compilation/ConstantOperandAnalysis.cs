using WasmKit.BinaryFormat;

namespace WasmKit.Compilation;

/// <summary>
/// Decides which float operations of one function body need the NaN-quieting fix-up (see
/// <see cref="Runtime.NaNQuieting"/>). The JIT reduces <c>x * ±1</c>, <c>x / ±1</c>, <c>x + -0</c>, <c>x - +0</c>,
/// <c>-0 - x</c> and a promote-demote round trip to the operand or its sign flip, which skips the hardware's
/// quieting of a signalling NaN, but only when it sees the constant: directly, through locals (including their
/// initial zero), through parameters and results of inlined calls, through a field store forwarded to a later
/// load (a mutable global) and by folding constant expressions. It cannot see the value of a memory load, of an
/// immutable global (a field written at instantiation, see <c>FunctionCompiler.CompileGlobalGet</c>), or of
/// float arithmetic on such a value.
/// <para>
/// An abstract interpretation with an <see cref="OperandFacts"/> per operand-stack entry and per local. A local
/// is the join of everything stored into it anywhere in the body, plus its initial zero where a read may come
/// before every write; parameters, call results and the values at block, loop and if boundaries are
/// <see cref="OperandFacts.Unknown"/>. It reruns until the locals stop changing; if they do not within
/// <see cref="MaxPasses"/>, or the body holds anything it does not model, every operation keeps the fix-up.
/// An operation it never decided on keeps it too.
/// </para>
/// </summary>
internal sealed class ConstantOperandAnalysis
{
    /// <summary>Passes over the body before giving up; each pass that changes anything adds a flag to some local, and real code settles in two or three.</summary>
    private const int MaxPasses = 6;

    private const OperandFacts Ones = OperandFacts.PlusOne | OperandFacts.MinusOne;
    private const long QuietBit = 1L << 51;
    private const int F32QuietBit = 1 << 22;

    /// <summary>Whether the operation at each offset keeps the fix-up; null when every operation keeps it.</summary>
    private readonly Dictionary<int, bool>? _keepsFixUp;

    private ConstantOperandAnalysis(Dictionary<int, bool>? keepsFixUp) => _keepsFixUp = keepsFixUp;

    /// <summary>The float operations decided on, by byte offset: true where the fix-up stays.</summary>
    public IReadOnlyDictionary<int, bool> Decisions => _keepsFixUp ?? [];

    /// <summary>Whether the float operation at <paramref name="offset"/> must pass its result through the fix-up.</summary>
    public bool NeedsQuieting(int offset) =>
        _keepsFixUp is null || !_keepsFixUp.TryGetValue(offset, out bool keeps) || keeps;

    /// <summary>Analyses the body of function <paramref name="functionIndex"/> (an index in the whole function space).</summary>
    public static ConstantOperandAnalysis Analyze(ModuleDefinition definition, int functionIndex, FunctionBody body)
    {
        var type = definition.GetFunctionType(functionIndex);
        // Parameters hold whatever a caller passes, and stores join in; a declared local starts out empty,
        // its initial zero is added only where a read may come before every write.
        int parameters = type.Parameters.Length;
        var stored = new OperandFacts[parameters + body.Locals.Length];
        var initial = new OperandFacts[stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            if (i < parameters) stored[i] = OperandFacts.Unknown;
            else initial[i] = InitialFacts(body.Locals[i - parameters]);
        }
        var pass = new AnalysisPass(definition, type, body, stored, initial);
        for (int i = 0; i < MaxPasses; i++)
        {
            var outcome = pass.Run();
            if (outcome == PassOutcome.Unsupported || pass.Decisions.Count == 0) break;
            if (outcome == PassOutcome.Settled) return new ConstantOperandAnalysis(pass.Decisions);
        }
        return new ConstantOperandAnalysis(null);
    }

    /// <summary>A declared local starts at zero: the JIT sees +0 for a float, and some constant for anything else.</summary>
    private static OperandFacts InitialFacts(ValueKind kind) =>
        kind is ValueKind.Float32 or ValueKind.Float64 ? OperandFacts.PlusZero : OperandFacts.AnyConstant;

    /// <summary>Which of the tracked constants <paramref name="value"/> is.</summary>
    internal static OperandFacts Classify(double value)
    {
        if (double.IsNaN(value))
            return (BitConverter.DoubleToInt64Bits(value) & QuietBit) == 0 ? OperandFacts.SignallingNaN : OperandFacts.OtherConstant;
        if (value == 0) return double.IsNegative(value) ? OperandFacts.MinusZero : OperandFacts.PlusZero;
        if (value == 1) return OperandFacts.PlusOne;
        if (value == -1) return OperandFacts.MinusOne;
        return OperandFacts.OtherConstant;
    }

    /// <summary>The facts of an f32 constant: widening keeps a NaN's quiet bit where it was.</summary>
    internal static OperandFacts Classify(float value) =>
        float.IsNaN(value) && (BitConverter.SingleToInt32Bits(value) & F32QuietBit) == 0 ? OperandFacts.SignallingNaN : Classify((double)value);

    /// <summary>
    /// Whether the JIT may reduce a binary operation to one operand or its sign flip while that operand may be a
    /// NaN. Such a fold is only legal (outside NaN payloads, which .NET does not promise) when it is exact for
    /// every other input, which leaves <c>x + -0</c>, <c>x - +0</c>, <c>-0 - x</c>, <c>x * ±1</c> and <c>x / ±1</c>;
    /// <c>x + 0</c> and <c>0 - x</c> differ from <c>x</c> and <c>-x</c> at <c>x = -0</c> and <c>+0</c>. A NaN
    /// constant may be propagated as the result, which matters if it is a signalling one.
    /// </summary>
    internal static bool MayFoldToAnOperand(Opcode opcode, OperandFacts left, OperandFacts right)
    {
        if (((left | right) & OperandFacts.SignallingNaN) != 0) return true;
        bool leftMayBeNaN = (left & OperandFacts.Runtime) != 0, rightMayBeNaN = (right & OperandFacts.Runtime) != 0;
        return opcode switch
        {
            Opcode.F32Add or Opcode.F64Add =>
                ((right & OperandFacts.MinusZero) != 0 && leftMayBeNaN) || ((left & OperandFacts.MinusZero) != 0 && rightMayBeNaN),
            Opcode.F32Sub or Opcode.F64Sub =>
                ((right & OperandFacts.PlusZero) != 0 && leftMayBeNaN) || ((left & OperandFacts.MinusZero) != 0 && rightMayBeNaN),
            Opcode.F32Mul or Opcode.F64Mul => ((right & Ones) != 0 && leftMayBeNaN) || ((left & Ones) != 0 && rightMayBeNaN),
            Opcode.F32Div or Opcode.F64Div => (right & Ones) != 0 && leftMayBeNaN,
            _ => true,
        };
    }

    /// <summary>Whether the JIT may fold a conversion with the opposite one that produced its operand.</summary>
    internal static bool MayFoldRoundTrip(Opcode opcode, OperandFacts operand) => opcode switch
    {
        Opcode.F32DemoteF64 => (operand & OperandFacts.Promoted) != 0,
        Opcode.F64PromoteF32 => (operand & OperandFacts.Demoted) != 0,
        _ => true,
    };

    /// <summary>
    /// The facts of a one-operand result. No such operation turns a run-time value into a constant, and any may
    /// be folded away, so a conversion's origin carries through (also through reinterpretation). Folding a
    /// constant computes in hardware, which quiets NaNs, except for the bit operations (neg, abs, reinterpret).
    /// </summary>
    internal static OperandFacts UnaryResult(Opcode opcode, OperandFacts operand)
    {
        var constants = (operand & OperandFacts.AnyConstant) == 0 ? OperandFacts.None
            : opcode is (>= Opcode.F32ConvertI32S and <= Opcode.F32ConvertI64U) or (>= Opcode.F64ConvertI32S and <= Opcode.F64ConvertI64U)
                ? OperandFacts.AnyConstant & ~OperandFacts.SignallingNaN
                : OperandFacts.AnyConstant;
        var result = constants | (operand & (OperandFacts.Runtime | OperandFacts.AnyConversion));
        return opcode switch
        {
            Opcode.F32DemoteF64 => result | OperandFacts.Demoted,
            Opcode.F64PromoteF32 => result | OperandFacts.Promoted,
            _ => result,
        };
    }

    /// <summary>
    /// The facts of a two-operand result. IEEE arithmetic on a run-time value is a run-time value (NaN rules
    /// out <c>x - x = 0</c> and <c>x * 0 = 0</c>) or, folded, its other operand; integer operations and
    /// comparisons can fold to a constant (<c>x &amp; 0</c>, <c>x == x</c>), so their results are unknown.
    /// </summary>
    internal static OperandFacts BinaryResult(Opcode opcode, OperandFacts left, OperandFacts right)
    {
        if (opcode is not ((>= Opcode.F32Add and <= Opcode.F32Copysign) or (>= Opcode.F64Add and <= Opcode.F64Copysign)))
            return OperandFacts.Unknown;
        bool bothMayBeConstant = (left & OperandFacts.AnyConstant) != 0 && (right & OperandFacts.AnyConstant) != 0;
        return (bothMayBeConstant ? OperandFacts.AnyConstant : OperandFacts.None)
            | ((left | right) & (OperandFacts.Runtime | OperandFacts.AnyConversion));
    }

    private enum PassOutcome
    {
        Settled,
        LocalsChanged,
        Unsupported,
    }

    /// <summary>
    /// One walk over the body. <paramref name="stored"/> (what each local may hold after a write) only grows
    /// between passes. A local is definitely written where an earlier write in the same or an enclosing frame
    /// precedes the read: frames are entered at their start and left only past their end, so every path
    /// from the function entry to the read passes that write; a write inside a frame counts only until its else or end.
    /// </summary>
    private sealed class AnalysisPass(ModuleDefinition definition, FunctionType type, FunctionBody body, OperandFacts[] stored, OperandFacts[] initial)
    {
        private readonly List<OperandFacts> _stack = [];
        private readonly List<(int Height, int Parameters, int Results, int WritesStart)> _frames = [];
        private readonly bool[] _written = new bool[stored.Length];
        private readonly List<int> _writes = [];
        private bool _localsChanged;
        private bool _malformed;
        private bool _unreachable;

        public Dictionary<int, bool> Decisions { get; } = [];

        public PassOutcome Run()
        {
            _stack.Clear();
            _frames.Clear();
            _writes.Clear();
            Array.Clear(_written);
            Decisions.Clear();
            _localsChanged = _malformed = _unreachable = false;
            _frames.Add((0, 0, type.Results.Length, 0));
            int deadNesting = 0;
            var reader = new InstructionReader(definition.Bytes, body.CodeStart, body.CodeEnd);
            while (_frames.Count > 0)
            {
                if (reader.AtEnd) return PassOutcome.Unsupported;
                var ins = reader.Read();
                if (_unreachable)
                {
                    // Skip to the live frame's else or end, as the compiler does.
                    switch (ins.Opcode)
                    {
                        case Opcode.Block or Opcode.Loop or Opcode.If:
                            deadNesting++;
                            break;
                        case Opcode.End when deadNesting > 0:
                            deadNesting--;
                            break;
                        case Opcode.Else or Opcode.End when deadNesting == 0:
                            Step(ins);
                            break;
                    }
                    if (_malformed) return PassOutcome.Unsupported;
                    continue;
                }
                if (!Step(ins)) return PassOutcome.Unsupported;
                if (_malformed) return PassOutcome.Unsupported;
            }
            return _localsChanged ? PassOutcome.LocalsChanged : PassOutcome.Settled;
        }

        private bool Step(in Instruction ins)
        {
            switch (ins.Opcode)
            {
                case Opcode.Unreachable or Opcode.Br or Opcode.Return:
                    _unreachable = true;
                    break;
                case Opcode.Nop or Opcode.DataDrop or Opcode.ElemDrop:
                    break;
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    StartFrame(ins);
                    break;
                case Opcode.Else:
                {
                    var frame = _frames[^1];
                    ForgetWrites(frame.WritesStart);
                    ResetStack(frame.Height, frame.Parameters);
                    _unreachable = false;
                    break;
                }
                case Opcode.End:
                {
                    var frame = _frames[^1];
                    _frames.RemoveAt(_frames.Count - 1);
                    ForgetWrites(frame.WritesStart);
                    ResetStack(frame.Height, frame.Results);
                    _unreachable = false;
                    break;
                }
                case Opcode.BrIf or Opcode.Drop or Opcode.GlobalSet:
                    Pop();
                    break;
                case Opcode.BrTable:
                    Pop();
                    _unreachable = true;
                    break;
                case Opcode.Call:
                    Call(definition.GetFunctionType((int)ins.Index));
                    break;
                case Opcode.CallIndirect:
                    Pop();
                    Call(definition.Types[(int)ins.Index]);
                    break;
                case Opcode.Select or Opcode.SelectTyped:
                {
                    Pop();
                    var second = Pop();
                    var first = Pop();
                    Push(first | second);
                    break;
                }
                case Opcode.LocalGet:
                    if (ins.Index >= (uint)stored.Length) return false;
                    Push(_written[ins.Index] ? stored[ins.Index] : stored[ins.Index] | initial[ins.Index]);
                    break;
                case Opcode.LocalSet:
                    if (ins.Index >= (uint)stored.Length) return false;
                    Store((int)ins.Index, Pop());
                    break;
                case Opcode.LocalTee:
                    if (ins.Index >= (uint)stored.Length) return false;
                    Store((int)ins.Index, Peek());
                    break;
                case Opcode.GlobalGet:
                    Push(definition.GetGlobalType((int)ins.Index).Mutable ? OperandFacts.Unknown : OperandFacts.Runtime);
                    break;
                case >= Opcode.I32Load and <= Opcode.I64Load32U:
                    Pop();
                    Push(OperandFacts.Runtime);
                    break;
                case (>= Opcode.I32Store and <= Opcode.I64Store32) or Opcode.TableSet:
                    PopMany(2);
                    break;
                case Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill or Opcode.TableInit or Opcode.TableCopy or Opcode.TableFill:
                    PopMany(3);
                    break;
                case Opcode.MemorySize or Opcode.TableSize or Opcode.I32Const or Opcode.I64Const or Opcode.RefNull or Opcode.RefFunc:
                    Push(OperandFacts.Unknown);
                    break;
                case Opcode.MemoryGrow or Opcode.TableGet or Opcode.RefIsNull:
                    Pop();
                    Push(OperandFacts.Unknown);
                    break;
                case Opcode.TableGrow:
                    PopMany(2);
                    Push(OperandFacts.Unknown);
                    break;
                case Opcode.F32Const:
                    Push(Classify(ins.F32));
                    break;
                case Opcode.F64Const:
                    Push(Classify(ins.F64));
                    break;
                default:
                    return Numeric(ins);
            }
            return true;
        }

        private bool Numeric(in Instruction ins)
        {
            if (!FunctionCompiler.TryGetNumericSignature(ins.Opcode, out int operands, out _)) return false;
            if (operands == 2)
            {
                var right = Pop();
                var left = Pop();
                if (FunctionCompiler.MayBeFoldedToItsOperand(ins.Opcode))
                    Decisions[ins.Offset] = MayFoldToAnOperand(ins.Opcode, left, right);
                Push(BinaryResult(ins.Opcode, left, right));
            }
            else
            {
                var operand = Pop();
                if (FunctionCompiler.MayBeFoldedToItsOperand(ins.Opcode))
                    Decisions[ins.Offset] = MayFoldRoundTrip(ins.Opcode, operand);
                Push(UnaryResult(ins.Opcode, operand));
            }
            return true;
        }

        private void StartFrame(in Instruction ins)
        {
            int parameters = 0, results = 0;
            switch (ins.BlockType.Kind)
            {
                case BlockTypeKind.Value:
                    results = 1;
                    break;
                case BlockTypeKind.TypeIndex:
                    var blockType = definition.Types[(int)ins.BlockType.TypeIndex];
                    (parameters, results) = (blockType.Parameters.Length, blockType.Results.Length);
                    break;
            }
            if (ins.Opcode == Opcode.If) Pop();
            int height = _stack.Count - parameters;
            if (height < _frames[^1].Height)
            {
                _malformed = true;
                return;
            }
            // A loop's parameters also arrive from its back edges.
            if (ins.Opcode == Opcode.Loop)
                for (int i = height; i < _stack.Count; i++) _stack[i] = OperandFacts.Unknown;
            _frames.Add((height, parameters, results, _writes.Count));
        }

        private void Call(FunctionType callee)
        {
            PopMany(callee.Parameters.Length);
            for (int i = 0; i < callee.Results.Length; i++) Push(OperandFacts.Unknown);
        }

        private void Store(int local, OperandFacts value)
        {
            if (!_written[local])
            {
                _written[local] = true;
                _writes.Add(local);
            }
            var joined = stored[local] | value;
            if (joined == stored[local]) return;
            stored[local] = joined;
            _localsChanged = true;
        }

        private void ForgetWrites(int start)
        {
            for (int i = start; i < _writes.Count; i++) _written[_writes[i]] = false;
            _writes.RemoveRange(start, _writes.Count - start);
        }

        private void ResetStack(int height, int count)
        {
            if (height > _stack.Count)
            {
                _malformed = true;
                return;
            }
            _stack.RemoveRange(height, _stack.Count - height);
            for (int i = 0; i < count; i++) Push(OperandFacts.Unknown);
        }

        private void Push(OperandFacts facts) => _stack.Add(facts);

        private OperandFacts Peek()
        {
            if (_stack.Count <= _frames[^1].Height)
            {
                _malformed = true;
                return OperandFacts.Unknown;
            }
            return _stack[^1];
        }

        private OperandFacts Pop()
        {
            var top = Peek();
            if (!_malformed) _stack.RemoveAt(_stack.Count - 1);
            return top;
        }

        private void PopMany(int count)
        {
            for (int i = 0; i < count; i++) Pop();
        }
    }
}
