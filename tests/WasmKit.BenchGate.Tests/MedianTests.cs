namespace WasmKit.BenchGate.Tests;

public class MedianTests
{
    [Test]
    public void AnOddCountGivesTheMiddleValue() => Assert.That(Median.Of([3.0, 1.0, 2.0]), Is.EqualTo(2.0));

    [Test]
    public void AnEvenCountGivesTheMeanOfTheTwoMiddleValues() => Assert.That(Median.Of([4.0, 1.0, 3.0, 2.0]), Is.EqualTo(2.5));

    [Test]
    public void OneValueIsItsOwnMedian() => Assert.That(Median.Of([1.7]), Is.EqualTo(1.7));

    [Test]
    public void OneOutlierDoesNotMoveIt() => Assert.That(Median.Of([1.0, 1.1, 50.0]), Is.EqualTo(1.1));

    [Test]
    public void NoValuesIsAnError() => Assert.Throws<ArgumentException>(() => Median.Of([]));
}
