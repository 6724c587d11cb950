using System.Collections.Concurrent;

namespace Api.Usage;

/// <summary>How many tenants get a `tenant` label of their own on the Api's metrics (docs/metrics.md).</summary>
public sealed class TenantLabelOptions
{
    public const string SectionName = "Telemetry:TenantLabels";

    /// <summary>Tenants beyond the configured ones that keep their own label, in the order this process first meets them.</summary>
    [Range(0, 1000)]
    public int Top { get; set; } = 50;

    /// <summary>Tenant slugs that always keep their own label (key accounts), on top of <see cref="Top"/>.</summary>
    public List<string> Always { get; set; } = [];
}

/// <summary>
/// Bounds the `tenant` label: the configured tenants and the first <see cref="TenantLabelOptions.Top"/> others keep
/// their slug, every other tenant is "other". The set only grows within a process and never re-ranks: the exporter keeps
/// every series it has seen (cumulative temporality), so moving a tenant out of the set would not remove its series,
/// only add an "other" one. A restart chooses afresh.
/// </summary>
public sealed class TenantLabels(IOptions<TenantLabelOptions> options)
{
    public const string Other = "other";

    private readonly HashSet<string> _always = [.. options.Value.Always];
    private readonly ConcurrentDictionary<string, byte> _labelled = new(StringComparer.Ordinal);
    private int _count;

    public string Of(string slug)
    {
        if (_always.Contains(slug) || _labelled.ContainsKey(slug))
        {
            return slug;
        }

        if (Interlocked.Increment(ref _count) <= options.Value.Top)
        {
            _labelled.TryAdd(slug, 0);
            return slug;
        }

        Interlocked.Decrement(ref _count);
        return Other;
    }
}
