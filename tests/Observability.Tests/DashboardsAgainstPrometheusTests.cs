using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

namespace Observability.Tests;

/// <summary>
/// The whole system under the real AppHost with a real Prometheus: after traffic through the Api, every
/// panel, variable and alert query is evaluated by Prometheus. Each must parse; each panel whose metrics
/// a service exports must return data. Metrics in the contract that no service exports yet must be listed
/// in NotYetEmitted.txt, and are reported.
/// </summary>
public sealed partial class DashboardsAgainstPrometheusTests
{
    private static readonly string[] Services = ["auditservice", "api", "dashboard"];

    [Fact]
    public async Task EveryPanelAndRuleQueryParsesAndEveryPanelOfAnExportedSignalHasData()
    {
        var ct = Ct;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // The traffic generator drives the agent pipeline, so LLM and pipeline panels have data too.
        await using var host = await PlatformApp.StartAsync(new PlatformOptions { Traffic = true }, ct);
        var prometheus = new PrometheusClient(http, host.Url("prometheus"));

        // Several rounds a few scrapes apart, so that counters grow inside every rate window.
        var traffic = new Traffic(host, http);
        for (var round = 0; round < 4; round++)
        {
            await traffic.RoundAsync(round, ct);
            await Task.Delay(TimeSpan.FromSeconds(6), ct);
        }

        await WaitForAsync(prometheus, "sum(rate(audit_events_rejected_total[5m])) > 0", ct);
        await WaitForAsync(prometheus, "sum(rate(http_server_request_duration_seconds_count{job=\"api\", http_response_status_code=~\"4..\"}[5m])) > 0", ct);

        var exported = await ExportedMetricsAsync(http, host, ct);
        var notYetEmitted = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "NotYetEmitted.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        var failures = new List<string>();
        var waiting = new List<string>();
        var checkedWithData = 0;
        var queries = Dashboards.Queries().Concat(AlertRules.Queries()).Where(q => q.DatasourceUid == "prometheus").ToList();
        foreach (var query in queries)
        {
            var variable = PromQl.LabelValues(query.Expression);
            var promQl = PromQl.Substitute(variable?.Series ?? query.Expression);
            var result = await prometheus.QueryAsync(promQl, ct);
            if (!result.Parsed)
            {
                failures.Add($"{query.Where}: Prometheus refused the query: {result.Error}\n    {promQl}");
                continue;
            }

            var missing = PromQl.MetricNames(promQl).Where(m => !PromQl.BuiltIn.Contains(m) && !exported.Contains(m)).ToList();
            foreach (var metric in missing.Where(m => !notYetEmitted.Contains(m)))
            {
                failures.Add($"{query.Where}: {metric} is queried but no service exports it (and it is not in NotYetEmitted.txt)");
            }

            if (missing.Count > 0)
            {
                waiting.Add($"{query.Where}: waits for {string.Join(", ", missing)}");
                continue;
            }

            if (query.Kind == QueryKind.Panel && !result.HasData)
            {
                failures.Add($"{query.Where}: no data although every metric it reads is exported\n    {promQl}");
            }
            else if (query.Kind == QueryKind.Variable && !result.Series.Any(s => s.GetProperty("metric").TryGetProperty(variable!.Value.Label, out _)))
            {
                failures.Add($"{query.Where}: no series carries the label {variable!.Value.Label}\n    {promQl}");
            }
            else if (query.Kind != QueryKind.Condition)
            {
                checkedWithData++;
            }
        }

        // Prometheus itself loaded the rule files the AppHost copied, and evaluates each without error.
        var rules = await WaitForRuleEvaluationAsync(prometheus, ct);
        failures.AddRange(rules.Where(r => r.Health != "ok").Select(r => $"rule {r.Name}: {r.Health} {r.Error}"));
        var ruleCount = AlertRules.Queries().Count(q => q.Where.Contains(".yml", StringComparison.Ordinal));
        if (rules.Count != ruleCount)
        {
            failures.Add($"Prometheus loaded {rules.Count} rules; the repo has {ruleCount}");
        }

        // The LLM cost board's "this month" panels read a whole month of samples: Prometheus must keep more than that.
        var flags = await http.GetFromJsonAsync<JsonElement>(new Uri(host.Url("prometheus"), "/api/v1/status/flags"), ct);
        Assert.Equal("5w", flags.GetProperty("data").GetProperty("storage.tsdb.retention.time").GetString()); // 35d, as Prometheus writes it

        var report = new StringBuilder()
            .AppendLine($"{queries.Count} queries evaluated; {checkedWithData} panels/variables returned data; {rules.Count} rules healthy in Prometheus.")
            .AppendLine($"Waiting for not-yet-emitted metrics ({waiting.Count}):").AppendJoin('\n', waiting.Select(w => "  " + w))
            .ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n\n" + report);
        Assert.True(checkedWithData >= 20, report);
    }

    /// <summary>Every sample name on the services' and the PostgreSQL exporter's /metrics right now.</summary>
    private static async Task<HashSet<string>> ExportedMetricsAsync(HttpClient http, PlatformApp host, CancellationToken ct)
    {
        var names = new HashSet<string>();
        foreach (var service in Services.Append("postgres-exporter"))
        {
            var text = await http.GetStringAsync(new Uri(host.Url(service), "/metrics"), ct);
            names.UnionWith(SampleName().Matches(text).Select(m => m.Groups[1].Value));
        }

        return names;
    }

    private static async Task WaitForAsync(PrometheusClient prometheus, string promQl, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await prometheus.QueryAsync(promQl, ct)).HasData)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Prometheus never answered data for {promQl}");
            await Task.Delay(1000, ct);
        }
    }

    private static async Task<IReadOnlyList<(string Name, string Health, string? Error)>> WaitForRuleEvaluationAsync(PrometheusClient prometheus, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rules = await prometheus.RulesAsync(ct);
            if (rules.All(r => r.Health != "unknown") || DateTime.UtcNow > deadline)
            {
                return rules;
            }

            await Task.Delay(1000, ct);
        }
    }

    [GeneratedRegex(@"^([a-zA-Z_:][\w:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex SampleName();
}
