using System.Text.RegularExpressions;

namespace Observability.Tests;

/// <summary>docs/metrics.md: the "Prometheus series" column of its tables, as name patterns.</summary>
public static partial class MetricsContract
{
    public static IReadOnlyList<Regex> Patterns { get; } = Load();

    public static bool Allows(string metric) => PromQl.BuiltIn.Contains(metric) || Patterns.Any(p => p.IsMatch(metric));

    private static List<Regex> Load()
    {
        var patterns = new List<Regex>();
        var column = -1;
        foreach (var line in File.ReadLines(Repository.PathOf("docs", "metrics.md")))
        {
            if (!line.StartsWith('|'))
            {
                column = -1;
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToList();
            if (column < 0)
            {
                column = cells.FindIndex(c => c.Equals("Prometheus series", StringComparison.OrdinalIgnoreCase));
                continue;
            }

            if (column >= cells.Count)
            {
                continue;
            }

            patterns.AddRange(Backticked().Matches(cells[column])
                .Select(m => m.Groups[1].Value)
                .Where(name => !name.StartsWith("---", StringComparison.Ordinal))
                .Select(ToRegex));
        }

        return patterns;
    }

    // `a_{bucket,sum}` → a_(bucket|sum); `dotnet_*` → dotnet_.*
    private static Regex ToRegex(string name)
    {
        var pattern = Alternatives().Replace(Regex.Escape(name).Replace(@"\{", "{", StringComparison.Ordinal), m => $"({m.Groups[1].Value.Replace(',', '|')})");
        return new Regex("^" + pattern.Replace(@"\*", ".*", StringComparison.Ordinal) + "$");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"\{([\w,]+)\}")]
    private static partial Regex Alternatives();
}
