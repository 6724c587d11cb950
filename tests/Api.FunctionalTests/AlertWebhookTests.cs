using System.Net.Http.Headers;
using Api.Alerts;
using Api.Contracts;
using Audit.Contracts;

namespace Api.FunctionalTests;

/// <summary>Alertmanager's webhook into the Api: notifications for the right people, audit entries, and nothing for a stranger.</summary>
public sealed class AlertWebhookTests(ApiFixture api)
{
    [Fact]
    public async Task AnAlertNamingATenantReachesItsAdminsAndTheSuperAdminsAndItsResolutionIsRecordedToo()
    {
        var globex = await api.TenantIdAsync("globex");
        var fingerprint = NewFingerprint();
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(-1);

        var fired = await PostAsync(Payload(Alert("TenantSpendCapReached", fingerprint, "firing", startsAt, tenant: "globex")));
        Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
        Assert.Equal(new AlertWebhookApi.WebhookResponse(1, 1), await fired.Content.ReadFromJsonAsync<AlertWebhookApi.WebhookResponse>(Ct));

        var forGlobex = Assert.Single(await ListAsync(ApiFixture.GlobexAdmin, fingerprint));
        Assert.Equal(("TenantSpendCapReached", "firing", "critical", globex, false),
            (forGlobex.AlertName, forGlobex.Status, forGlobex.Severity, forGlobex.TenantId, forGlobex.Read));
        Assert.Equal("Tenant globex reached its LLM spend cap", forGlobex.Summary);
        Assert.Single(await ListAsync(ApiFixture.SuperAdmin, fingerprint));
        Assert.Empty(await ListAsync(ApiFixture.AcmeAdmin, fingerprint));
        var entry = await api.AuditEventAsync(globex, e => e.Action == "alert.fired" && e.Resource?.Id == fingerprint);
        Assert.Equal(("warning", "system", "alertmanager"), (entry.Severity, entry.Actor.Type, entry.Actor.Id));

        // Alertmanager repeats a firing alert and resends on failure: one notification per state.
        var repeated = await PostAsync(Payload(Alert("TenantSpendCapReached", fingerprint, "firing", startsAt, tenant: "globex")));
        Assert.Equal(new AlertWebhookApi.WebhookResponse(1, 0), await repeated.Content.ReadFromJsonAsync<AlertWebhookApi.WebhookResponse>(Ct));

        await PostAsync(Payload(Alert("TenantSpendCapReached", fingerprint, "resolved", startsAt, tenant: "globex", endsAt: DateTimeOffset.UtcNow)));
        var states = await ListAsync(ApiFixture.GlobexAdmin, fingerprint);
        Assert.Equal(["firing", "resolved"], states.Select(n => n.Status).Order());
        await api.AuditEventAsync(globex, e => e.Action == "alert.resolved" && e.Resource?.Id == fingerprint && e.Severity == "info");
    }

    [Fact]
    public async Task AnAlertNamingNoTenantIsForSuperAdminsOnlyAndAuditedInThePlatformLog()
    {
        var fingerprint = NewFingerprint();

        await PostAsync(Payload(Alert("CriticalAuditEntry", fingerprint, "firing", DateTimeOffset.UtcNow)));

        Assert.Single(await ListAsync(ApiFixture.SuperAdmin, fingerprint));
        Assert.Empty(await ListAsync(ApiFixture.AcmeAdmin, fingerprint));
        Assert.Empty(await ListAsync(ApiFixture.GlobexAdmin, fingerprint));
        await api.AuditEventAsync(AuditTenants.Platform, e => e.Action == "alert.fired" && e.Resource?.Id == fingerprint);
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusForAsync(ApiFixture.AcmeMember, HttpMethod.Get, "/api/notifications"));
    }

    [Fact]
    public async Task MarkingReadLowersTheUnreadCountOfThatReaderOnly()
    {
        var fingerprint = NewFingerprint();
        await PostAsync(Payload(Alert("HighServerErrorRate", fingerprint, "firing", DateTimeOffset.UtcNow, tenant: "acme")));
        using var admin = await api.ClientForAsync(ApiFixture.AcmeAdmin);
        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var before = (await admin.GetFromJsonAsync<NotificationList>("/api/notifications", Ct))!;
        var rootBefore = (await root.GetFromJsonAsync<NotificationList>("/api/notifications", Ct))!;
        var notification = before.Items.Single(n => n.Description == fingerprint);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/notifications/{notification.Id}/read", null, Ct)).StatusCode);

        var after = (await admin.GetFromJsonAsync<NotificationList>("/api/notifications", Ct))!;
        Assert.Equal(before.Unread - 1, after.Unread);
        Assert.True(after.Items.Single(n => n.Id == notification.Id).Read);
        Assert.Equal(rootBefore.Unread, (await root.GetFromJsonAsync<NotificationList>("/api/notifications", Ct))!.Unread);

        // Another tenant's admin cannot mark (or learn of) it; marking everything read leaves nothing unread.
        using var globex = await api.ClientForAsync(ApiFixture.GlobexAdmin);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync($"/api/notifications/{notification.Id}/read", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await root.PostAsync("/api/notifications/read", null, Ct)).StatusCode);
        Assert.Equal(0, (await root.GetFromJsonAsync<NotificationList>("/api/notifications", Ct))!.Unread);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-secret-but-just-as-long-0123456789")]
    [InlineData("user-token")]
    public async Task TheWebhookRefusesACallerWithoutTheSecret(string? credential)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, AlertWebhookApi.Path)
        {
            Content = JsonContent.Create(Payload(Alert("ServiceDown", NewFingerprint(), "firing", DateTimeOffset.UtcNow))),
        };
        if (credential is not null)
        {
            var token = credential == "user-token" ? (await api.SignInAsync(ApiFixture.SuperAdmin)).AccessToken : credential;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ABadPayloadAnswersProblemDetailsNamingEachFieldAndRecordsNothing()
    {
        var good = Alert("ServiceDown", NewFingerprint(), "firing", DateTimeOffset.UtcNow);
        var bad = new { status = "exploded", labels = new Dictionary<string, string>(), fingerprint = "not hex", startsAt = (DateTimeOffset?)null };

        var response = await PostAsync(new { version = "4", status = "firing", alerts = new object[] { good, bad } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["alerts[1].fingerprint", "alerts[1].labels.alertname", "alerts[1].startsAt", "alerts[1].status"], errors.Order());
        Assert.Empty(await ListAsync(ApiFixture.SuperAdmin, good.fingerprint));
        var wrongVersion = await PostAsync(new { version = "3", alerts = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, wrongVersion.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(object payload)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.AlertWebhookSecret);
        return await client.PostAsJsonAsync(AlertWebhookApi.Path, payload, Ct);
    }

    private async Task<List<Notification>> ListAsync(string email, string fingerprint)
    {
        var list = await api.ReadAsAsync<NotificationList>(email, "/api/notifications?limit=200");
        return [.. list.Items.Where(n => n.Description == fingerprint)];
    }

    private static object Payload(params object[] alerts) =>
        new { version = "4", groupKey = "{}:{alertname=\"x\"}", status = "firing", receiver = "platform-api", alerts };

    private static AlertBody Alert(string name, string fingerprint, string status, DateTimeOffset startsAt, string? tenant = null, DateTimeOffset? endsAt = null)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = name, ["severity"] = "critical" };
        if (tenant is not null)
        {
            labels["tenant"] = tenant;
        }

        // The description carries the fingerprint, so each test finds its own notifications among the shared fixture's.
        var summary = tenant is null ? $"{name} ({fingerprint})" : $"Tenant {tenant} reached its LLM spend cap";
        return new AlertBody(status, labels, new Dictionary<string, string> { ["summary"] = summary, ["description"] = fingerprint },
            startsAt, endsAt ?? DateTimeOffset.MinValue, "http://prometheus.test/graph", fingerprint);
    }

    private static string NewFingerprint() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);

    private sealed record AlertBody(string status, Dictionary<string, string> labels, Dictionary<string, string> annotations,
        DateTimeOffset startsAt, DateTimeOffset endsAt, string generatorURL, string fingerprint);
}
