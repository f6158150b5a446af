namespace WasmKit.SpecTests;

/// <summary>
/// The harness must fail what the spec says fails: a trap with the wrong code, a rejection of the wrong kind, a
/// command that breaks the script, a script the baseline does not know. Small hand-made scripts, no suite needed.
/// </summary>
public sealed class SpecHarnessStrictnessTests
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>(func (export "f") unreachable)</summary>
    private static readonly byte[] Unreachable =
        [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0A, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0B];

    /// <summary>(func i32.add): well-formed, invalid.</summary>
    private static readonly byte[] Invalid =
        [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x05, 0x01, 0x03, 0x00, 0x6A, 0x0B];

    private static readonly byte[] Malformed = [0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00];

    /// <summary>(import "nowhere" "f" (func))</summary>
    private static readonly byte[] UnknownImport =
        [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x0D, 0x01, 0x07, .. "nowhere"u8, 0x01, 0x66, 0x00, 0x00];

    /// <summary>(func unreachable) (start 0)</summary>
    private static readonly byte[] TrappingStart =
        [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0A, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0B];

    [TestCase("unreachable", 1, 0)]
    [TestCase("integer divide by zero", 0, 1)]
    [TestCase("a message the table does not know", 0, 1)]
    public void AssertTrapChecksTheTrapCode(string text, int passed, int failed)
    {
        var result = Run(Module("f.wasm"), Command("assert_trap", text: text, action: Invoke("f")));
        Assert.That((result.Passed, result.Failed), Is.EqualTo((passed, failed)), result.DescribeFailures());
    }

    [Test]
    public void AssertExhaustionNeedsCallStackExhaustion()
    {
        var result = Run(Module("f.wasm"), Command("assert_exhaustion", text: "call stack exhausted", action: Invoke("f")));
        Assert.That(result.Failed, Is.EqualTo(1), result.DescribeFailures());
    }

    [TestCase("assert_invalid", "invalid.wasm", 1)]
    [TestCase("assert_malformed", "invalid.wasm", 0)]
    [TestCase("assert_malformed", "malformed.wasm", 1)]
    [TestCase("assert_invalid", "malformed.wasm", 0)]
    public void RejectionsMustBeOfTheRightKind(string type, string file, int passed)
    {
        var result = Run(Command(type, file, text: "whatever"));
        Assert.That((result.Passed, result.Failed), Is.EqualTo((passed, 1 - passed)), result.DescribeFailures());
    }

    [TestCase("assert_unlinkable", "import.wasm", 1)]
    [TestCase("assert_uninstantiable", "import.wasm", 0)]
    [TestCase("assert_uninstantiable", "start.wasm", 1)]
    [TestCase("assert_unlinkable", "start.wasm", 0)]
    public void InstantiationFailuresMustBeOfTheRightKind(string type, string file, int passed)
    {
        var result = Run(Command(type, file, text: type == "assert_unlinkable" ? "unknown import" : "unreachable"));
        Assert.That((result.Passed, result.Failed), Is.EqualTo((passed, 1 - passed)), result.DescribeFailures());
    }

    [Test]
    public void AFailingModuleCommandFailsTheScript()
    {
        var result = Run(Module("malformed.wasm"));
        Assert.That(result.Failed, Is.EqualTo(1), result.DescribeFailures());
    }

    [Test]
    public void AFailingActionFailsTheScript()
    {
        var result = Run(Module("f.wasm"), Command("action", action: Invoke("f")));
        Assert.That(result.Failed, Is.EqualTo(1), result.DescribeFailures());
    }

    [Test]
    public void AFailingRegisterFailsTheScript()
    {
        var result = Run(Command("register", name: "$missing", @as: "m"));
        Assert.That(result.Failed, Is.EqualTo(1), result.DescribeFailures());
    }

    [Test]
    public void EveryTrapMessageOfTheSuiteHasACode()
    {
        string[] suiteMessages =
        [
            "unreachable", "out of bounds memory access", "out of bounds table access", "undefined element",
            "uninitialized element", "uninitialized element 2", "indirect call type mismatch", "integer divide by zero",
            "integer overflow", "invalid conversion to integer", "call stack exhausted",
        ];
        Assert.That(suiteMessages.Where(m => SpecTrapMessages.CodeFor(m) is null), Is.Empty);
    }

    [Test]
    public void BaselineFailsAScriptItDoesNotList()
    {
        var baseline = Baseline(("a.wast", 3));
        Assert.That(baseline.Violation(Result("unlisted.wast", passed: 10, failed: 0)), Does.Contain("not in"));
    }

    [Test]
    public void BaselineFailsAnyFailureOutsideSimd()
    {
        var baseline = Baseline(("a.wast", 3), ("simd_a.wast", 3));
        Assert.That(baseline.Violation(Result("a.wast", passed: 10, failed: 1)), Does.Contain("no failure"));
        Assert.That(baseline.Violation(Result("simd_a.wast", passed: 10, failed: 1)), Is.Null);
        Assert.That(baseline.Violation(Result("simd_a.wast", passed: 2, failed: 1)), Does.Contain("minimum"));
        Assert.That(baseline.Violation(Result("a.wast", passed: 3, failed: 0)), Is.Null);
    }

    [Test]
    public void BaselineUpdateOnlyRaises()
    {
        var path = Path.GetTempFileName();
        try
        {
            var baseline = Baseline(("a.wast", 5), ("b.wast", 5));
            SpecBaseline.Write(path, baseline, [("a.wast", 2), ("b.wast", 9), ("c.wast", 4)]);
            var written = SpecBaseline.Load(path);
            Assert.That(written.MinimumPassed("a.wast"), Is.EqualTo(5));
            Assert.That(written.MinimumPassed("b.wast"), Is.EqualTo(9));
            Assert.That(written.MinimumPassed("c.wast"), Is.EqualTo(4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ScriptResult Run(params WastCommand[] commands)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkit-harness-");
        try
        {
            File.WriteAllBytes(Path.Combine(directory.FullName, "f.wasm"), Unreachable);
            File.WriteAllBytes(Path.Combine(directory.FullName, "invalid.wasm"), Invalid);
            File.WriteAllBytes(Path.Combine(directory.FullName, "malformed.wasm"), Malformed);
            File.WriteAllBytes(Path.Combine(directory.FullName, "import.wasm"), UnknownImport);
            File.WriteAllBytes(Path.Combine(directory.FullName, "start.wasm"), TrappingStart);
            var result = new ScriptResult("test.wast");
            using var runner = new SpecScriptRunner(directory.FullName, result, log: null);
            runner.Run(new WastScript("test.wast", [.. commands]));
            return result;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static WastCommand Module(string file) => Command("module", file);

    private static WastCommand Command(string type, string? file = null, string? text = null, WastAction? action = null,
        string? name = null, string? @as = null) =>
        new(type, 1, file, name, @as, file is null ? null : "binary", text, action, null);

    private static WastAction Invoke(string field) => new("invoke", null, field, []);

    private static SpecBaseline Baseline(params (string File, int MinPassed)[] entries)
    {
        var path = Path.GetTempFileName();
        try
        {
            string files = string.Join(",", entries.Select(e => $"\"{e.File}\": {{\"minPassed\": {e.MinPassed}}}"));
            File.WriteAllText(path, $"{{\"files\": {{{files}}}}}");
            return SpecBaseline.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ScriptResult Result(string file, int passed, int failed)
    {
        var result = new ScriptResult(file);
        for (int i = 0; i < passed; i++) result.Pass();
        for (int i = 0; i < failed; i++) result.Fail(1, "failed");
        return result;
    }
}
