using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Api.FunctionalTests;

/// <summary>
/// What an SRE finds for an audited request, against the real Api and AuditService over PostgreSQL with the
/// OpenTelemetry in-memory exporters: its log lines under its trace, the batch that carried its audit event in the same
/// trace or linked to it, and no noise of the audit client's transport or of idle background work.
/// </summary>
public sealed class RequestTelemetryTests(ApiFixture api)
{
    [Fact]
    public async Task AnAuditedWriteLogsInsideItsSpanAndItsAuditBatchContinuesItsTrace()
    {
        using var acme = await api.TenantAdminAsync(ApiFixture.AcmeAdmin);

        var request = await WriteSettingsAsync(acme);

        var send = await EventuallyAsync(() => api.Telemetry.SpansNow().FirstOrDefault(s =>
            s.OperationName == "audit.send" && (s.TraceId == request.TraceId || s.Links.Any(l => l.Context.SpanId == request.SpanId))));
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal("sent", send.GetTagItem("audit.outcome"));

        var logs = await EventuallyAsync(() => api.Telemetry.ExportedNow().Where(l => l.TraceId == request.TraceId).ToList() is { Count: > 0 } l ? l : null);
        var line = Assert.Single(logs, l => l.FormattedMessage?.Contains("tenant.settings_changed", StringComparison.Ordinal) == true);
        Assert.Equal(LogLevel.Information, line.LogLevel);
        Assert.Equal(request.SpanId, line.SpanId);
    }

    [Fact]
    public async Task EveryRequestOfABusyMomentIsTheParentOrALinkOfTheBatchThatCarriedItsEvent()
    {
        using var globex = await api.TenantAdminAsync(ApiFixture.GlobexAdmin);

        var requests = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => WriteSettingsAsync(globex)));

        foreach (var request in requests)
        {
            await EventuallyAsync(() => api.Telemetry.SpansNow().FirstOrDefault(s => s.OperationName == "audit.send"
                && ((s.TraceId == request.TraceId && s.ParentSpanId == request.SpanId) || s.Links.Any(l => l.Context.SpanId == request.SpanId))));
        }
    }

    [Fact]
    public async Task TheAuditTransportAndIdleBackgroundWorkWriteNoInfoLinesAndStartNoTraces()
    {
        using var acme = await api.TenantAdminAsync(ApiFixture.AcmeAdmin);
        var request = await WriteSettingsAsync(acme);
        await EventuallyAsync(() => api.Telemetry.SpansNow().FirstOrDefault(s => s.OperationName == "audit.send"
            && (s.TraceId == request.TraceId || s.Links.Any(l => l.Context.SpanId == request.SpanId))));

        // A quiet moment: the pipeline's workers poll their queue, the gauges refresh, nothing is asked of the Api.
        var spansBefore = api.Telemetry.SpansNow().Count;
        var logsBefore = api.Telemetry.ExportedNow().Count;
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        var quietSpans = api.Telemetry.SpansNow().Skip(spansBefore).Where(s => s.ParentSpanId == default).ToList();
        var quietLogs = api.Telemetry.ExportedNow().Skip(logsBefore).Where(l => l.LogLevel >= LogLevel.Information).ToList();

        Assert.True(quietSpans.Count == 0, "root spans while idle: " + string.Join(", ", quietSpans.Select(s => $"{s.Source.Name}:{s.DisplayName}")));
        Assert.True(quietLogs.Count == 0, "log lines while idle: " + string.Join(" | ", quietLogs.Select(l => $"{l.CategoryName}: {l.FormattedMessage}")));
        Assert.DoesNotContain(api.Telemetry.ExportedNow(), l => l.CategoryName?.StartsWith("System.Net.Http.HttpClient.audit-client", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task AnUnhandledFailureOfAWriteAnswersProblemDetailsAndRecordsACriticalAuditEntryOnce()
    {
        using var acme = await api.TenantAdminAsync(ApiFixture.AcmeAdmin);

        // The write's UPDATE fails in the database: the app role loses UPDATE on tenants for a moment.
        var logsBefore = api.Telemetry.ExportedNow().Count;
        await AsOwnerAsync($"REVOKE UPDATE ON tenants FROM \"{api.Database.AppRole}\"");
        HttpResponseMessage response;
        try
        {
            response = await acme.Client.PutAsJsonAsync($"/api/tenants/{acme.TenantId}/settings", new { timezone = "Europe/Paris" }, Ct);
        }
        finally
        {
            await AsOwnerAsync($"GRANT UPDATE ON tenants TO \"{api.Database.AppRole}\"");
        }

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var entry = await api.AuditEventAsync(acme.TenantId, e => e.Action == "request.write_failed");
        Assert.Equal(("critical", "PUT /api/tenants/{id:guid}/settings"), (entry.Severity, entry.Resource?.Id));
        // Logged once, by the framework, with the exception, inside the request's span.
        var failures = api.Telemetry.ExportedNow().Skip(logsBefore).Where(l => l.Exception is not null && l.LogLevel >= LogLevel.Warning).ToList();
        var failure = Assert.Single(failures);
        Assert.IsType<Npgsql.PostgresException>(failure.Exception);
        Assert.NotEqual(default, failure.TraceId);
    }

    private Task AsOwnerAsync(string sql) => Testing.Sql.ExecuteAsync(api.Database.Owner, sql);

    private async Task<ActivityContext> WriteSettingsAsync(TenantAdmin admin)
    {
        // The caller's own trace context, so the test knows the request's trace id; the Api's server span is its child.
        using var caller = new Activity("test-caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var message = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{admin.TenantId}/settings")
        {
            Content = JsonContent.Create(new { timezone = "Europe/Berlin", storeOutputPreviews = Random.Shared.Next(2) == 0 }),
        };
        message.Headers.Add("traceparent", $"00-{caller.TraceId}-{caller.SpanId}-01");
        using var response = await admin.Client.SendAsync(message, Ct);
        response.EnsureSuccessStatusCode();
        var server = await EventuallyAsync(() => api.Telemetry.SpansNow().FirstOrDefault(s => s.TraceId == caller.TraceId && s.Kind == ActivityKind.Server));
        return server.Context;
    }

    private static Task<T> EventuallyAsync<T>(Func<T?> probe) where T : class => Testing.Eventually.Async(() => Task.FromResult(probe()), seconds: 15);
}
