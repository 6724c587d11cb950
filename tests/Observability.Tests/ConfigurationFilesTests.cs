using YamlDotNet.RepresentationModel;

namespace Observability.Tests;

/// <summary>The stack's files as written: valid for the real tools, consistent with each other and with docs/metrics.md.</summary>
public sealed class ConfigurationFilesTests
{
    private static readonly string[] Stack = ["grafana", "loki", "tempo", "prometheus", "alertmanager", "deploy"];

    [Fact]
    public async Task PromtoolAcceptsThePrometheusConfiguration()
    {
        var (exitCode, output) = await RepoTool.PromtoolAsync("check", "config", Path.Combine("prometheus", "prometheus.yml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid prometheus config file syntax", output);
    }

    [Fact]
    public async Task AmtoolAcceptsTheAlertmanagerConfigurationWhichRoutesEveryAlertToTheApiWebhook()
    {
        var (exitCode, output) = await RepoTool.AmtoolAsync("check-config", Path.Combine("alertmanager", "alertmanager.yml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output);
        var config = Yaml.Load(Repository.PathOf("alertmanager", "alertmanager.yml"));
        var route = config.Child("route");
        Assert.Null(route.Child("routes")); // every alert takes the root route
        var receiver = config.Child("receivers").Items().Single(r => r.Child("name").Text() == route.Child("receiver").Text());
        var webhook = Assert.Single(receiver.Child("webhook_configs").Items());
        Assert.EndsWith("/api/alerts/alertmanager", webhook.Child("url").Text());
        Assert.Equal("true", webhook.Child("send_resolved").Text());
        var authorization = webhook.Child("http_config").Child("authorization");
        Assert.Equal("Bearer", authorization.Child("type").Text());
        // The secret is read from a file beside the config, never written in it.
        Assert.Null(authorization.Child("credentials"));
        Assert.NotNull(authorization.Child("credentials_file").Text());
    }

    [Fact]
    public async Task PromtoolAcceptsEveryRuleFile()
    {
        var files = AlertRules.PrometheusFiles.ToArray();
        Assert.NotEmpty(files);

        var (exitCode, output) = await RepoTool.PromtoolAsync(["check", "rules", .. files]);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task TheAlertRulesFireAndStaySilentAsTheirUnitTestsSay()
    {
        // prometheus/tests/alerts.test.yml: a new platform does not page NoPlatformActivity, a stale one does; a broken
        // chain pages until it is intact again.
        var (exitCode, output) = await RepoTool.PromtoolAsync("test", "rules", Path.Combine("prometheus", "tests", "alerts.test.yml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public void EveryDashboardParsesWithAStableUidTagsAndVariables()
    {
        var dashboards = Dashboards.Files.Select(Dashboards.Load).ToList();
        Assert.Equal(4, dashboards.Count);

        var uids = dashboards.Select(d => d.GetProperty("uid").GetString()).ToList();
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(dashboards, d => Assert.NotEmpty(d.GetProperty("tags").EnumerateArray()));
        var variables = dashboards.SelectMany(d => d.GetProperty("templating").GetProperty("list").EnumerateArray())
            .Select(v => v.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "service", "route", "tenant", "model", "agent_role" }, variables);
    }

    [Fact]
    public void EveryYamlFileOfTheStackParses()
    {
        var files = Stack.SelectMany(folder => Repository.Files(folder, ".yaml", ".yml")).ToList();
        Assert.True(files.Count >= 9, string.Join('\n', files));

        foreach (var file in files)
        {
            var exception = Record.Exception(() => Yaml.Load(file));
            Assert.True(exception is null, $"{file}: {exception?.Message}");
        }
    }

    [Fact]
    public void EveryDatasourceUidReferencedIsProvisioned()
    {
        var datasources = Yaml.Load(Repository.PathOf("grafana", "provisioning", "datasources", "datasources.yaml"));
        var provisioned = datasources.Child("datasources").Items().Select(d => d.Child("uid").Text()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "prometheus", "loki", "tempo" }, provisioned);

        var referenced = Dashboards.Files.SelectMany(f => Dashboards.DatasourceUids(Dashboards.Load(f)).Select(uid => (f, uid)))
            // Correlations between the datasources themselves, and alert rule queries.
            .Concat(datasources.ValuesOf("datasourceUid").Select(uid => ("datasources.yaml", uid)))
            .Concat(AlertRules.Queries().Select(q => (q.Where, q.DatasourceUid)))
            .ToList();

        Assert.NotEmpty(referenced);
        Assert.All(referenced, r => Assert.True(provisioned.Contains(r.Item2), $"{r.Item1} references datasource uid '{r.Item2}', which is not provisioned"));
    }

    [Fact]
    public void EveryMetricADashboardOrRuleQueriesIsInTheContract()
    {
        var queries = Dashboards.Queries().Concat(AlertRules.Queries()).Where(q => q.DatasourceUid == "prometheus").ToList();
        Assert.True(queries.Count > 50, $"only {queries.Count} queries found");

        var outside = queries
            .SelectMany(q => PromQl.MetricNames(PromQl.LabelValues(q.Expression)?.Series ?? q.Expression)
                .Where(m => !MetricsContract.Allows(m)).Select(m => $"{q.Where} queries {m}"))
            .ToList();

        Assert.True(outside.Count == 0, "Not in docs/metrics.md:\n" + string.Join('\n', outside));
    }

    [Fact]
    public void TheComposeFilesMountedPathsExist()
    {
        var compose = Yaml.Load(Repository.PathOf("deploy", "compose.yaml"));
        var mounts = ((YamlMappingNode)compose.Child("services")!).Children
            .SelectMany(service => service.Value.Child("volumes").Items().Select(v => (Service: service.Key.Text(), Source: v.Text()!.Split(':')[0])))
            .Where(m => m.Source.StartsWith('.'))
            .ToList();

        Assert.True(mounts.Count >= 8, $"only {mounts.Count} bind mounts");
        Assert.All(mounts, m =>
        {
            var path = Path.GetFullPath(Path.Combine(Repository.PathOf("deploy"), m.Source));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{m.Service} mounts {m.Source}, which does not exist ({path})");
        });
    }

    [Fact]
    public void EveryImageInTheComposeFileIsPinned()
    {
        var compose = Yaml.Load(Repository.PathOf("deploy", "compose.yaml"));
        var images = compose.ValuesOf("image").ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(@":(v?\d[\w.-]*|local)$", image));
    }

    [Fact]
    public void TheContractIsReadFromDocs()
    {
        Assert.True(MetricsContract.Allows("http_server_request_duration_seconds_bucket"));
        Assert.True(MetricsContract.Allows("audit_ingest_batch_size_count"));
        Assert.True(MetricsContract.Allows("llm_cost_usd_total"));
        Assert.True(MetricsContract.Allows("dotnet_gc_collections_total"));
        Assert.False(MetricsContract.Allows("http_server_request_duration_seconds"));
        Assert.False(MetricsContract.Allows("kestrel_active_connections"));
    }

    [Fact]
    public void MetricNamesAreFoundInPromQlAndNothingElse()
    {
        var names = PromQl.MetricNames(
            "sum by (service, le) (rate(http_server_request_duration_seconds_bucket{service=~\"$service\", le!=\"x\"}[$__rate_interval])) "
            + "/ on(service) group_left sum(increase(llm_cost_usd_total[1d] offset 1d)) > 48 * 3600 or absent(up{job=\"api\"})");

        Assert.Equal(new HashSet<string> { "http_server_request_duration_seconds_bucket", "llm_cost_usd_total", "up" }, names);
        Assert.Equal("rate(x{a=~\".*\"}[5m])", PromQl.Substitute("rate(x{a=~\"$tenant\"}[$__rate_interval])"));
    }

    [Fact]
    public void EveryServiceHasALatencyPanelWithExemplars()
    {
        var exemplars = Dashboards.ExemplarQueries().Where(e => e.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal)).ToList();

        Assert.All(new[] { "auditservice", "api", "dashboard" }, service =>
            Assert.Contains(exemplars, e => e.Contains($"service=\"{service}\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryLatencyQueryLeavesOutTheLongLivedConnectionsAsTheP99RuleDoes()
    {
        var rule = AlertRules.Queries().Single(q => q.Where.EndsWith("/ HighP99Latency", StringComparison.Ordinal)).Expression;
        var longLived = System.Text.RegularExpressions.Regex.Match(rule, "http_route!~\"[^\"]+\"").Value;
        Assert.Contains("/_blazor", longLived);

        var latency = Dashboards.Queries().Concat(AlertRules.Queries())
            .Where(q => q.Expression.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal)).ToList();
        Assert.True(latency.Count >= 7, $"only {latency.Count} latency queries");
        Assert.All(latency, q => Assert.True(q.Expression.Contains(longLived, StringComparison.Ordinal), $"{q.Where} counts long-lived connections: {q.Expression}"));
    }

    [Fact]
    public void EveryAlertTheIssueAsksForHasARule()
    {
        var alerts = AlertRules.Queries().Select(q => q.Where.Split(" / ")[1]).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "ServiceDown", "HighServerErrorRate", "HighP99Latency", "PipelineDeadLetters", "TenantSpendAt80Percent",
            "TenantSpendAt95Percent", "TenantSpendCapReached", "LlmCostSpike", "NoPlatformActivity", "CriticalAuditEntry",
            "AuditClientSpilling", "AuditClientDropping",
        }, alerts);
    }

    [Fact]
    public void TheAlertWebhookComesFromConfiguration()
    {
        var contactPoints = Yaml.Load(Repository.PathOf("grafana", "provisioning", "alerting", "contact-points.yaml"));
        var urls = contactPoints.ValuesOf("url").ToList();
        var compose = File.ReadAllText(Repository.PathOf("deploy", "compose.yaml"));
        var appHost = File.ReadAllText(Repository.PathOf("AppHost", "Observability", "ObservabilityExtensions.cs"));

        Assert.Equal(["${GRAFANA_ALERT_WEBHOOK_URL}"], urls);
        Assert.Contains("GRAFANA_ALERT_WEBHOOK_URL: ${GRAFANA_ALERT_WEBHOOK_URL", compose);
        Assert.Contains("WithEnvironment(\"GRAFANA_ALERT_WEBHOOK_URL\", builder.Configuration[\"Grafana:AlertWebhookUrl\"]", appHost);
        // Grafana expands ${...} in provisioning files: the rules file must not contain a stray one.
        Assert.DoesNotContain("$", File.ReadAllText(Repository.PathOf("grafana", "provisioning", "alerting", "rules.yaml")));
    }

    [Fact]
    public void TheDashboardsAreValidJson()
    {
        foreach (var file in Dashboards.Files)
        {
            var exception = Record.Exception(() => JsonDocument.Parse(File.ReadAllText(file)));
            Assert.True(exception is null, $"{file}: {exception?.Message}");
        }
    }
}
