using System.Net.Http.Json;

namespace Observability.Tests;

/// <summary>Prometheus's HTTP API: instant queries and the rule manager's view of the rules.</summary>
public sealed class PrometheusClient(HttpClient http, Uri baseUrl)
{
    public sealed record Result(bool Parsed, string? Error, IReadOnlyList<JsonElement> Series)
    {
        /// <summary>At least one series with a number (NaN is what Grafana shows as no value).</summary>
        public bool HasData => Series.Any(s => s.TryGetProperty("value", out var v) && v[1].GetString() is not ("NaN" or null));
    }

    public async Task<Result> QueryAsync(string promQl, CancellationToken ct)
    {
        using var response = await http.PostAsync(new Uri(baseUrl, "/api/v1/query"),
            new FormUrlEncodedContent([new("query", promQl)]), ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (body.GetProperty("status").GetString() != "success")
        {
            return new Result(false, body.GetProperty("error").GetString(), []);
        }

        var data = body.GetProperty("data");
        return data.GetProperty("resultType").GetString() == "vector"
            ? new Result(true, null, data.GetProperty("result").EnumerateArray().ToList())
            : new Result(true, null, [data]);
    }

    /// <summary>Every loaded rule with its health ("ok", "err", "unknown" before the first evaluation).</summary>
    public async Task<IReadOnlyList<(string Name, string Health, string? Error)>> RulesAsync(CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JsonElement>(new Uri(baseUrl, "/api/v1/rules"), ct);
        return body.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("health").GetString()!,
                r.TryGetProperty("lastError", out var e) ? e.GetString() : null))
            .ToList();
    }
}
