using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServiceDefaults.Tests;

public sealed class ServiceDefaultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}
