using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults.Tests;

public sealed class ServiceDefaultsTests
{
    [Fact]
    public async Task HealthProbesAndScrapesStayOutOfTracesWhileRealRequestsAreTraced()
    {
        await using var service = await TestService.StartAsync(map: app => app.MapGet("/work", () => "done"));
        using var client = service.Client;

        foreach (var path in new[] { "/health", "/alive", "/metrics", "/work" })
        {
            (await client.GetAsync(path, Ct)).EnsureSuccessStatusCode();
        }

        // Only this service's spans: the other test classes' services run in the same process at the same time.
        var traced = await service.SpansEventuallyAsync(s => s.Kind == ActivityKind.Server && s.GetTagItem("server.port") is int port && port == service.BaseAddress.Port);
        Assert.Equal(["/work"], traced.Select(s => s.GetTagItem("url.path") as string).Distinct());
    }

    [Fact]
    public async Task AnUnhandledExceptionMarksTheSpanAsAnErrorAndAnswersProblemDetailsWithoutAStackTrace()
    {
        await using var service = await TestService.StartAsync(map: app => app.MapGet("/boom", string () => throw new InvalidOperationException("kaboom")));
        using var client = service.Client;

        var response = await client.GetAsync("/boom", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("at ServiceDefaults", body);
        Assert.DoesNotContain("kaboom", body);
        var span = Assert.Single(await service.SpansEventuallyAsync(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == "/boom"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task LogsWrittenDuringARequestCarryItsTraceAndSpanIds()
    {
        await using var service = await TestService.StartAsync(map: app => app.MapGet("/log", (ILogger<ServiceDefaultsTests> logger) =>
        {
            logger.LogInformation("handling {Thing}", "the request");
            return Activity.Current!.TraceId.ToHexString();
        }));
        using var client = service.Client;

        var traceId = await client.GetStringAsync("/log", Ct);

        LogRecordSnapshot? record = null;
        for (var i = 0; i < 50 && record is null; i++)
        {
            lock (service.Logs)
            {
                record = service.Logs.Where(l => l.FormattedMessage == "handling the request")
                    .Select(l => new LogRecordSnapshot(l.TraceId.ToHexString(), l.SpanId.ToHexString())).FirstOrDefault();
            }

            await Task.Delay(50, Ct);
        }

        Assert.NotNull(record);
        Assert.Equal(traceId, record.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", record.SpanId);
        Assert.NotEqual("0000000000000000", record.SpanId);
    }

    private sealed record LogRecordSnapshot(string TraceId, string SpanId);

    [Fact]
    public async Task ReadinessIncludesEveryCheckButLivenessOnlyTheLiveOnes()
    {
        await using var service = await TestService.StartAsync(configure: b =>
            b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("database is down"), ["ready"]), environment: "Development");
        using var client = service.Client;

        var health = await client.GetAsync("/health", Ct);
        var alive = await client.GetAsync("/alive", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var body = await health.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(body.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "database" && c.GetProperty("description").GetString() == "database is down");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task MetricsEndpointServesPrometheusTextWithRequestDurations()
    {
        await using var service = await TestService.StartAsync(map: app => app.MapGet("/work", () => "done"));
        using var client = service.Client;
        await client.GetAsync("/work", Ct);

        string metrics = "";
        for (var i = 0; i < 30 && !metrics.Contains("http_route=\"/work\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200, Ct);
            metrics = await client.GetStringAsync("/metrics", Ct);
        }

        Assert.Contains("http_server_request_duration_seconds_bucket", metrics);
        Assert.Contains("http_route=\"/work\"", metrics);
    }

    [Fact]
    public async Task HttpClientsResolveServicesByNameAndRetryTransientFailures()
    {
        var calls = 0;
        await using var backend = await TestService.StartAsync(map: app => app.MapGet("/flaky", () =>
            Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(503) : Results.Text("finally")));
        await using var caller = await TestService.StartAsync(settings: new() { ["services:backend:http:0"] = backend.BaseAddress.ToString() });

        var http = caller.App.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var text = await http.GetStringAsync("http://backend/flaky", Ct);

        Assert.Equal("finally", text);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task TempoAndLokiBesideTheAspireDashboardEachGetTheirSignalAndTheDashboardKeepsAllOfThem()
    {
        // Three OTLP/HTTP receivers standing in for the Aspire dashboard, Tempo and Loki: real HTTP servers that count what arrives.
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var receivers = await TestService.StartAsync(map: app => app.MapPost("/{backend}/v1/{signal}", (string backend, string signal) =>
        {
            received.Enqueue($"{backend}:{signal}");
            return Results.Ok();
        }));
        var at = receivers.BaseAddress.ToString().TrimEnd('/');
        await using var service = await TestService.StartAsync(map: app => app.MapGet("/work", (ILogger<ServiceDefaultsTests> logger) =>
        {
            logger.LogInformation("working");
            return "done";
        }), settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"{at}/dashboard",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            ["Telemetry:Exporters:tempo:Endpoint"] = $"{at}/tempo/v1/traces",
            ["Telemetry:Exporters:tempo:Signal"] = "traces",
            ["Telemetry:Exporters:loki:Endpoint"] = $"{at}/loki/v1/logs",
            ["Telemetry:Exporters:loki:Signal"] = "logs",
        });
        using var client = service.Client;
        await client.GetStringAsync("/work", Ct);

        string[] expected = ["dashboard:traces", "dashboard:logs", "dashboard:metrics", "tempo:traces", "loki:logs"];
        for (var i = 0; i < 100 && !expected.All(received.Contains); i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Superset(expected.ToHashSet(), received.ToHashSet());
        Assert.DoesNotContain("tempo:logs", received);
        Assert.DoesNotContain("loki:traces", received);
    }

    [Theory]
    [InlineData("TraceViewer:AspireDashboardUrl", "http://localhost:18888", "Aspire dashboard",
        "http://localhost:18888/traces/detail/4bf92f3577b34da6a3ce929d0e0e4736", "http://localhost:18888/structuredlogs?traceId=4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("TraceViewer:GrafanaUrl", "http://grafana:3000", "Grafana", "http://grafana:3000/explore?", "http://grafana:3000/explore?")]
    public async Task TraceLinksOpenTheConfiguredViewer(string key, string url, string viewer, string trace, string logs)
    {
        await using var service = await TestService.StartAsync(settings: new() { [key] = url });
        var links = service.App.Services.GetRequiredService<TraceLinkBuilder>();

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Assert.Equal(viewer, links.Viewer);
        Assert.StartsWith(trace, links.Trace(traceId, DateTimeOffset.UtcNow));
        Assert.StartsWith(logs, links.Logs(traceId, DateTimeOffset.UtcNow));
        Assert.Contains(traceId, Uri.UnescapeDataString(links.Trace(traceId, DateTimeOffset.UtcNow)!));
    }

    [Fact]
    public async Task WithoutAViewerNoLinkIsOffered()
    {
        await using var service = await TestService.StartAsync();
        var links = service.App.Services.GetRequiredService<TraceLinkBuilder>();

        Assert.Null(links.Viewer);
        Assert.Null(links.Trace("4bf92f3577b34da6a3ce929d0e0e4736", DateTimeOffset.UtcNow));
    }
}
