namespace Observability.Tests;

/// <summary>The provisioned dashboard JSON files and every query in them.</summary>
public static class Dashboards
{
    public static IEnumerable<string> Files => Repository.Files(Path.Combine("grafana", "dashboards"), ".json");

    public static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public static IEnumerable<Query> Queries() => Files.SelectMany(file =>
    {
        var dashboard = Load(file);
        var name = dashboard.GetProperty("uid").GetString();
        return Panels(dashboard.GetProperty("panels"))
            .SelectMany(panel => panel.TryGetProperty("targets", out var targets)
                ? targets.EnumerateArray().Select(t => new Query(
                    $"{name} / {panel.GetProperty("title").GetString()} / {t.GetProperty("refId").GetString()}",
                    QueryKind.Panel, Uid(t, panel), t.GetProperty("expr").GetString()!))
                : [])
            .Concat(dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => new Query(
                $"{name} / variable ${v.GetProperty("name").GetString()}",
                QueryKind.Variable, Uid(v), v.GetProperty("query").GetProperty("query").GetString()!)))
            .Concat(dashboard.GetProperty("annotations").GetProperty("list").EnumerateArray().Select(a => new Query(
                $"{name} / annotation {a.GetProperty("name").GetString()}",
                QueryKind.Condition, Uid(a), a.GetProperty("expr").GetString()!)));
    }).ToList();

    /// <summary>The expressions of the targets that ask Grafana for exemplars.</summary>
    public static IEnumerable<string> ExemplarQueries() => Files.SelectMany(file => Panels(Load(file).GetProperty("panels")))
        .SelectMany(panel => panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : [])
        .Where(t => t.TryGetProperty("exemplar", out var exemplar) && exemplar.ValueKind == JsonValueKind.True)
        .Select(t => t.GetProperty("expr").GetString()!)
        .ToList();

    /// <summary>Every datasource uid referenced anywhere in a dashboard.</summary>
    public static IEnumerable<string> DatasourceUids(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "datasource" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("uid", out var uid)
                ? [uid.GetString()!]
                : DatasourceUids(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(DatasourceUids),
        _ => [],
    };

    private static IEnumerable<JsonElement> Panels(JsonElement panels) =>
        panels.EnumerateArray().SelectMany(p =>
            p.TryGetProperty("panels", out var nested) ? Panels(nested).Prepend(p) : [p]);

    private static string Uid(params JsonElement[] candidates) =>
        candidates.Select(c => c.TryGetProperty("datasource", out var ds) && ds.TryGetProperty("uid", out var uid) ? uid.GetString() : null)
            .FirstOrDefault(u => u is not null) ?? "";
}
