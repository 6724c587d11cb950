namespace Dashboard.Components;

/// <summary>
/// A value axis that fits the data: a "nice" step (1, 2, 2.5 or 5 times a power of ten) giving about four intervals up
/// to the first step at or above the largest value, so $0.07 is drawn against 0–0.08, not 0–20.
/// </summary>
public sealed record ChartScale(double Top, double Step)
{
    public static ChartScale For(double max, int intervals = 4)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return new ChartScale(1, 0.25);
        }

        var rough = max / intervals;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / magnitude) switch { <= 1 => 1, <= 2 => 2, <= 2.5 => 2.5, <= 5 => 5, _ => 10 } * magnitude;
        return new ChartScale(Math.Ceiling(max / step - 1e-9) * step, step);
    }

    public IEnumerable<double> Ticks => Enumerable.Range(0, (int)Math.Round(Top / Step) + 1).Select(i => i * Step);

    /// <summary>The decimals a tick label needs to tell the steps apart (0.025 needs 3).</summary>
    public int Decimals => Enumerable.Range(0, 10).First(d => Math.Abs(Step * Math.Pow(10, d) - Math.Round(Step * Math.Pow(10, d))) < 1e-6);
}

/// <summary>One stacked part of a <see cref="Shared.BarChart"/>: a name for the legend and one value per label.</summary>
public sealed record BarSeries(string Name, double[] Values);
