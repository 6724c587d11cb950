using System.Text.RegularExpressions;

namespace Observability.Tests;

/// <summary>Just enough PromQL to find the metric names an expression reads and to fill in Grafana's variables.</summary>
public static partial class PromQl
{
    /// <summary>Series Prometheus writes itself rather than scraping them from a service.</summary>
    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string> { "up", "ALERTS", "ALERTS_FOR_STATE" };

    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "Inf", "NaN"];

    /// <summary>
    /// Grafana's variables replaced the way a viewer with "All" selected sees them: a regex matching
    /// everything for the dashboard's own variables, five minutes for the interval ones.
    /// </summary>
    public static string Substitute(string expression) =>
        GrafanaVariable().Replace(expression, m => m.Groups["name"].Value.StartsWith("__", StringComparison.Ordinal) ? "5m" : ".*");

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(Substitute(expression), "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = LabelList().Replace(text, " ");
        return Identifier().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet();
    }

    /// <summary>Grafana's label_values(series, label) template-variable query, split in its parts.</summary>
    public static (string Series, string Label)? LabelValues(string query)
    {
        var match = LabelValuesCall().Match(query.Trim());
        return match.Success ? (match.Groups["series"].Value, match.Groups["label"].Value) : null;
    }

    [GeneratedRegex(@"\$\{?(?<name>\w+)\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelList();

    // A name not preceded by a digit or dot (durations, numbers) and not followed by "(" (functions).
    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^label_values\((?<series>.+),\s*(?<label>\w+)\s*\)$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesCall();
}
