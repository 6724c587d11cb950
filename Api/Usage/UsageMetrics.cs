using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Api.Usage;

/// <summary>LLM cost, tokens, calls and budget instruments (docs/metrics.md, "Api: LLM calls and cost").</summary>
public sealed class UsageMetrics
{
    private readonly Counter<double> _cost;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _crossings;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _trackedTenants = new(StringComparer.Ordinal);

    public UsageMetrics(ServiceTelemetry telemetry, IServiceProvider services)
    {
        var meter = telemetry.Meter;
        _cost = meter.CreateCounter<double>("llm.cost", "usd", "Cost of LLM calls in US dollars.");
        _tokens = meter.CreateCounter<long>("llm.tokens", "{token}", "Tokens used by LLM calls, by type.");
        _calls = meter.CreateCounter<long>("llm.calls", "{call}", "LLM calls by outcome.");
        _crossings = meter.CreateCounter<long>("llm.spend_cap.crossings", "{crossing}", "Spend-cap thresholds crossed (once per tenant, month and threshold).");
        meter.CreateObservableGauge("llm.budget.utilization", () => Budgets(services, s => s.Utilization), "1",
            "This month's LLM spend divided by the plan's budget.");
        meter.CreateObservableGauge("llm.spend.month", () => Budgets(services, s => (double)s.SpentUsd), "usd",
            "This month's LLM spend.");
    }

    public void Call(string tenant, string provider, string model, string role, string outcome, long input, long cached, long output, decimal cost)
    {
        var tags = new TagList { { "tenant", tenant }, { "provider", provider }, { "model", model }, { "agent_role", role } };
        var withOutcome = tags;
        withOutcome.Add("outcome", outcome);
        _calls.Add(1, withOutcome);
        if (outcome != "success")
        {
            return;
        }

        _cost.Add((double)cost, tags);
        Tokens(tags, "input", input);
        Tokens(tags, "cached_input", cached);
        Tokens(tags, "output", output);
    }

    /// <summary>A tenant's crossing series start at 0 when its spend is first seen, so the first crossing shows as an increase.</summary>
    public void TrackTenant(string tenant)
    {
        if (_trackedTenants.TryAdd(tenant, 0))
        {
            foreach (var threshold in new[] { "80", "95", "100" })
            {
                _crossings.Add(0, new TagList { { "tenant", tenant }, { "threshold", threshold } });
            }
        }
    }

    public void CapCrossed(string tenant, int threshold) =>
        _crossings.Add(1, new TagList { { "tenant", tenant }, { "threshold", threshold.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    private void Tokens(TagList tags, string type, long count)
    {
        tags.Add("token_type", type);
        _tokens.Add(count, tags);
    }

    private static IEnumerable<Measurement<double>> Budgets(IServiceProvider services, Func<TenantSpend, double> value) =>
        services.GetRequiredService<SpendCaps>().Latest.Select(s =>
            new Measurement<double>(value(s), new KeyValuePair<string, object?>("tenant", s.Slug), new KeyValuePair<string, object?>("plan", s.Plan)));
}
