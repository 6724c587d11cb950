namespace Observability.Tests;

/// <summary>The Prometheus alerting rules in prometheus/rules and the Grafana-managed rules that forward them.</summary>
public static class AlertRules
{
    public static IEnumerable<string> PrometheusFiles => Repository.Files(Path.Combine("prometheus", "rules"), ".yml", ".yaml");

    public static IEnumerable<Query> Queries() =>
        PrometheusFiles.SelectMany(file => Yaml.Load(file).Child("groups").Items()
            .SelectMany(g => g.Child("rules").Items())
            .Select(r => new Query($"{Path.GetFileName(file)} / {r.Child("alert").Text() ?? r.Child("record").Text()}",
                QueryKind.Condition, "prometheus", r.Child("expr").Text()!)))
        .Concat(GrafanaQueries())
        .ToList();

    private static IEnumerable<Query> GrafanaQueries() =>
        Repository.Files(Path.Combine("grafana", "provisioning", "alerting"), ".yaml", ".yml")
            .SelectMany(file => Yaml.Load(file).Child("groups").Items()
                .SelectMany(g => g.Child("rules").Items())
                .SelectMany(r => r.Child("data").Items()
                    .Where(d => d.Child("datasourceUid").Text() != "__expr__")
                    .Select(d => new Query($"{Path.GetFileName(file)} / {r.Child("title").Text()} / {d.Child("refId").Text()}",
                        QueryKind.Condition, d.Child("datasourceUid").Text()!, d.Child("model").Child("expr").Text()!))));
}
