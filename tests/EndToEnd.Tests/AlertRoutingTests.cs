using Audit.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>
/// Alerts reach a person in the running AppHost: Prometheus evaluates the repo's rules and sends what fires to the
/// Alertmanager resource, which routes it to the Api's webhook; each firing and each resolution becomes a notification
/// for super admins and an entry in the platform's audit log.
/// </summary>
public sealed class AlertRoutingTests
{
    [Fact]
    public async Task ACriticalEntryAndAStoppedServiceReachTheSuperAdminAndTheServicesRecoveryIsRecordedToo()
    {
        var ct = Ct;
        await using var host = await PlatformApp.StartAsync(ct: ct);
        await host.App.ResourceNotifications.WaitForResourceHealthyAsync("alertmanager", ct);
        using var admin = await host.SignedInAsync("admin@platform.local");

        // A critical entry, written as any service writes one: CriticalAuditEntry fires from the ingest counter.
        using var writer = new HttpClient { BaseAddress = host.Url("auditservice") };
        writer.DefaultRequestHeaders.Add("X-Api-Key", host.Secret("api-audit-key"));
        (await writer.PostAsJsonAsync("/api/v1/events", new[] { SampleEvents.Load(Guid.CreateVersion7(), 0, 0, "alert-routing-tests", "critical") }, ct))
            .EnsureSuccessStatusCode();
        var critical = await NotificationAsync(admin, "CriticalAuditEntry", "firing", seconds: 120);
        Assert.Equal("critical", critical.GetProperty("severity").GetString());

        // A service that stops is down for Prometheus (its target stays listed); a minute later ServiceDown fires,
        // and once it runs again the resolution arrives as well.
        var commands = host.App.Services.GetRequiredService<ResourceCommandService>();
        var dashboard = host.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "dashboard");
        Assert.True((await commands.ExecuteCommandAsync(dashboard, KnownResourceCommands.StopCommand, ct)).Success);
        var down = await NotificationAsync(admin, "ServiceDown", "firing", seconds: 180);
        Assert.Contains("dashboard", down.GetProperty("summary").GetString());
        Assert.True((await commands.ExecuteCommandAsync(dashboard, KnownResourceCommands.StartCommand, ct)).Success);
        await NotificationAsync(admin, "ServiceDown", "resolved", seconds: 180);

        // Both states are in the platform's audit log, written by the Api's webhook.
        using var reader = new HttpClient { BaseAddress = host.Url("auditservice") };
        reader.DefaultRequestHeaders.Add("X-Api-Key", host.Secret("ops-audit-read-key"));
        var entries = await Eventually.Async(async () =>
        {
            var page = await reader.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?tenantId={AuditTenants.Platform}&resourceType=alert&limit=200", ct);
            var actions = page!.Items.Where(e => e.Resource?.Name is "ServiceDown" or "CriticalAuditEntry").Select(e => $"{e.Resource!.Name} {e.Action}").ToHashSet();
            return actions.IsSupersetOf(["CriticalAuditEntry alert.fired", "ServiceDown alert.fired", "ServiceDown alert.resolved"]) ? actions : null;
        }, seconds: 30);
        Assert.DoesNotContain("CriticalAuditEntry alert.resolved", entries);
    }

    /// <summary>The newest notification of an alert in the given state, once the super admin has it.</summary>
    private static async Task<JsonElement> NotificationAsync(HttpClient admin, string alertName, string status, int seconds) =>
        await Eventually.Async<JsonElement?>(async () =>
        {
            var list = await admin.GetFromJsonAsync<JsonElement>("/api/notifications");
            return list.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("alertName").GetString() == alertName && n.GetProperty("status").GetString() == status)
                .Select(n => (JsonElement?)n.Clone()).FirstOrDefault();
        }, seconds) ?? throw new InvalidOperationException("unreachable");
}
