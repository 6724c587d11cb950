using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Api.Usage;

/// <summary>
/// LLM instruments (docs/metrics.md, "Api: LLM calls and cost"). Token usage and operation duration are the OpenTelemetry
/// GenAI conventions' own instruments and attributes (gen_ai.*), recorded here rather than by Microsoft.Extensions.AI so
/// that they carry the tenant and the agent as well; cost, calls and budgets are ours, with the same attribute names.
/// </summary>
public sealed class UsageMetrics
{
    // The GenAI conventions' advised bucket boundaries. A pipeline stage, an LLM call and a little more, uses the same seconds.
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    internal static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _crossings;
    private readonly TenantLabels _tenants;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _tracked = new(StringComparer.Ordinal);

    public UsageMetrics(ServiceTelemetry telemetry, TenantLabels tenants, IServiceProvider services)
    {
        _tenants = tenants;
        var meter = telemetry.Meter;
        _tokens = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens used per LLM call, by type.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _duration = meter.CreateHistogram("gen_ai.client.operation.duration", "s", "Time an LLM call took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _cost = meter.CreateCounter<double>("llm.cost", "usd", "Cost of LLM calls in US dollars.");
        _calls = meter.CreateCounter<long>("llm.calls", "{call}", "LLM calls by outcome, refusals by the spend cap included.");
        _crossings = meter.CreateCounter<long>("llm.spend_cap.crossings", "{crossing}", "Spend-cap thresholds crossed (once per tenant, month and threshold).");
        meter.CreateObservableGauge("llm.budget.utilization", () => Budgets(services, spends => spends.Max(s => s.Utilization)), "1",
            "This month's LLM spend divided by the plan's budget (the highest of the tenants under one label).");
        meter.CreateObservableGauge("llm.spend.month", () => Budgets(services, spends => spends.Sum(s => (double)s.SpentUsd)), "usd",
            "This month's LLM spend.");
    }

    /// <summary>One call: its outcome always; its duration when the provider was asked; its tokens and cost when it answered.</summary>
    public void Call(LlmCallMeasurement call)
    {
        var tags = new TagList
        {
            { "tenant", _tenants.Of(call.TenantSlug) },
            { "gen_ai.provider.name", call.Provider },
            { "gen_ai.request.model", call.Model },
            { "gen_ai.agent.name", call.Agent },
        };
        var withOutcome = tags;
        withOutcome.Add("outcome", call.Outcome);
        _calls.Add(1, withOutcome);
        if (call.Outcome == "refused_cap")
        {
            return;
        }

        var operation = tags;
        operation.Add("gen_ai.operation.name", "chat");
        if (call.ErrorType is { } error)
        {
            operation.Add("error.type", error);
        }

        _duration.Record(call.LatencyMs / 1000, operation);
        if (call.Outcome != "success")
        {
            return;
        }

        _cost.Add((double)call.CostUsd, tags);
        Tokens(operation, "input", call.InputTokens);
        Tokens(operation, "cached_input", call.CachedInputTokens);
        Tokens(operation, "output", call.OutputTokens);
    }

    /// <summary>A tenant's crossing series start at 0 when its spend is first seen, so the first crossing shows as an increase.</summary>
    public void TrackTenant(string slug)
    {
        var tenant = _tenants.Of(slug);
        if (_tracked.TryAdd(tenant, 0))
        {
            foreach (var threshold in new[] { "80", "95", "100" })
            {
                _crossings.Add(0, new TagList { { "tenant", tenant }, { "threshold", threshold } });
            }
        }
    }

    public void CapCrossed(string slug, int threshold) =>
        _crossings.Add(1, new TagList { { "tenant", _tenants.Of(slug) }, { "threshold", threshold.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    private void Tokens(TagList tags, string type, long count)
    {
        tags.Add("gen_ai.token.type", type);
        _tokens.Record(count, tags);
    }

    // One measurement per label and plan: tenants folded into "other" are summed (spend) or maxed (utilisation).
    private IEnumerable<Measurement<double>> Budgets(IServiceProvider services, Func<IEnumerable<TenantSpend>, double> value) =>
        services.GetRequiredService<SpendCaps>().Latest.GroupBy(s => (Tenant: _tenants.Of(s.Slug), s.Plan)).Select(g =>
            new Measurement<double>(value(g), new KeyValuePair<string, object?>("tenant", g.Key.Tenant), new KeyValuePair<string, object?>("plan", g.Key.Plan)));
}

/// <summary>What one LLM call measured, for <see cref="UsageMetrics.Call"/>.</summary>
public readonly record struct LlmCallMeasurement(
    string TenantSlug, string Provider, string Model, string Agent, string Outcome, string? ErrorType, double LatencyMs,
    long InputTokens, long CachedInputTokens, long OutputTokens, decimal CostUsd);
