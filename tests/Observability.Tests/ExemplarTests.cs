using System.Net.Http.Json;
using System.Text;
using Audit.Contracts;

namespace Observability.Tests;

/// <summary>
/// Metrics lead to traces: a real AuditService (over a real PostgreSQL) exports its spans to an OTLP receiver of the
/// test's own and is scraped by a real Prometheus 2.42 with exemplar storage on. Every exemplar Prometheus stored for the
/// request-latency histogram names a trace the service really exported.
/// </summary>
public sealed class ExemplarTests
{
    private static readonly string WriteKey = ApiKeyFormat.New();

    [Fact]
    public async Task PrometheusStoresLatencyExemplarsWhoseTraceIdsTheServiceExported()
    {
        var ct = Ct;
        await using var postgres = await PostgresServer.StartAsync();
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        await using var service = new AuditServiceHost(await postgres.CreateDatabaseAsync("exemplars"), SeededKey.Writer(WriteKey))
        {
            Settings = new Dictionary<string, string>
            {
                ["OTEL_SERVICE_NAME"] = "auditservice",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            },
        }.Process();
        await service.StartAsync();
        await using var prometheus = await LocalServer.PrometheusAsync(service.Url, "auditservice", "exemplar-storage");

        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Add("X-Api-Key", WriteKey);
        var started = DateTimeOffset.UtcNow;
        var exemplars = await Eventually.Async(async () =>
        {
            // Traced requests (ingest, and a refused one) between scrapes; health probes and scrapes are not traced.
            for (var i = 0; i < 5; i++)
            {
                await http.PostAsync("/api/v1/events", new StringContent(Event(), Encoding.UTF8, "application/json"), ct);
                await http.PostAsync("/api/v1/events", new StringContent("{ not json", Encoding.UTF8, "application/json"), ct);
            }

            var found = await ExemplarTraceIdsAsync(prometheus.Url, started, ct);
            return found.Count >= 2 ? found : null;
        }, seconds: 60);

        // Spans leave in batches: give the exporter a moment, then every exemplar must name an exported trace.
        var missing = await Eventually.Async(async () =>
        {
            var notSeen = exemplars.Where(id => !receiver.TraceIds.ContainsKey(id)).ToList();
            await Task.Delay(200, ct);
            return notSeen.Count == 0 ? notSeen : null;
        }, seconds: 15);
        Assert.Empty(missing);
        Assert.All(exemplars, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    private static async Task<IReadOnlyList<string>> ExemplarTraceIdsAsync(Uri prometheus, DateTimeOffset since, CancellationToken ct)
    {
        using var http = new HttpClient();
        var query = Uri.EscapeDataString("http_server_request_duration_seconds_bucket{job=\"auditservice\"}");
        var body = await http.GetFromJsonAsync<JsonElement>(new Uri(prometheus,
            $"/api/v1/query_exemplars?query={query}&start={since.AddMinutes(-1).ToUnixTimeSeconds()}&end={DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds()}"), ct);
        Assert.Equal("success", body.GetProperty("status").GetString());
        return [.. body.GetProperty("data").EnumerateArray()
            .SelectMany(series => series.GetProperty("exemplars").EnumerateArray())
            .Select(e => e.GetProperty("labels").TryGetProperty("trace_id", out var id) ? id.GetString()! : "")
            .Distinct()];
    }

    private static string Event() => JsonSerializer.Serialize(new
    {
        id = Guid.CreateVersion7(),
        tenantId = Guid.CreateVersion7(),
        occurredAt = DateTimeOffset.UtcNow,
        actor = new { type = "system", id = "exemplar-test" },
        action = "exemplar.checked",
    });
}
