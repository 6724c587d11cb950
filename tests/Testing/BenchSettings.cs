namespace Testing;

/// <summary>A/B runs of the benchmarks: settings for the services they start, given on the bench's own command line.</summary>
public static class BenchSettings
{
    /// <summary>Every environment variable <c>{prefix}Key=value</c> as <c>Key=value</c> (e.g. BENCH_API_AuditClient__BatchDelay).</summary>
    public static IEnumerable<KeyValuePair<string, string>> WithPrefix(string prefix) =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value ?? ""))
            .Where(e => e.Item1.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Item1[prefix.Length..], e.Item2));
}
