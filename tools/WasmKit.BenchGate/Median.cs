namespace WasmKit.BenchGate;

/// <summary>The median, used so that one noisy launch cannot decide a gate alone.</summary>
public static class Median
{
    /// <summary>The middle value (the mean of the two middle values for an even count).</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("the median of no values is undefined", nameof(values));
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
