namespace WasmKit.BenchGate.Tests;

public class ReportReaderTests
{
    [Test]
    public void ReadsTheMeanOfEachBenchmarkByClassAndMethod()
    {
        var runs = ReportReader.ReadDirectory(RecordedReports.Folder("three-launches"));

        Assert.That(runs, Has.Count.EqualTo(6));
        var call = runs[0];
        Assert.That(call.Label, Is.EqualTo(Path.Combine("launch-1", "results", "WasmKit.Benchmarks.CallBenchmarks-report-full-compressed.json")));
        Assert.That(call.Means["CallBenchmarks.CSharpDelegate"], Is.EqualTo(2.0));
        Assert.That(call.Means["CallBenchmarks.WasmTyped"], Is.EqualTo(5.0));
        Assert.That(call.Host, Is.EqualTo("Intel Xeon Processor, X64, .NET 10.0.12 (10.0.1226.42308)"));
    }

    [Test]
    public void ABenchmarkWithoutStatisticsIsPresentWithoutAMean()
    {
        var run = ReportReader.ReadDirectory(RecordedReports.Folder("failed-benchmark")).Single();

        Assert.That(run.Means.ContainsKey("CallBenchmarks.WasmTyped"), Is.True);
        Assert.That(run.Means["CallBenchmarks.WasmTyped"], Is.Null);
    }

    [Test]
    public void ParametersArePartOfTheName()
    {
        var run = ReportReader.ReadDirectory(RecordedReports.Folder("parameters")).Single();

        Assert.That(run.Means.Keys, Is.EquivalentTo(new[] { "SizeBenchmarks.Copy(Size=64)", "SizeBenchmarks.Copy(Size=256)" }));
    }

    [Test]
    public void TheSameClassWrittenByTwoExportersIsReadOnce()
    {
        var runs = ReportReader.ReadDirectory(RecordedReports.Folder("two-exporters"));

        Assert.That(runs, Has.Count.EqualTo(1));
        Assert.That(runs[0].Label, Does.EndWith("-report-full-compressed.json"));
        Assert.That(runs[0].Means["CallBenchmarks.WasmTyped"], Is.EqualTo(3.0));
    }

    [Test]
    public void TextThatIsNotAReportIsAnInputError()
    {
        Assert.Throws<GateInputException>(() => ReportReader.Read("{\"Title\": \"x\"}", "odd.json"));
        Assert.Throws<GateInputException>(() => ReportReader.Read("not json", "odd.json"));
    }

    [Test]
    public void AMissingFolderIsAnInputError()
    {
        Assert.Throws<GateInputException>(() => ReportReader.ReadDirectory(RecordedReports.Folder("no-such-folder")));
    }
}
