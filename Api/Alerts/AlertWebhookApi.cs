using Microsoft.AspNetCore.Authorization;

namespace Api.Alerts;

public static class AlertWebhookApi
{
    public const string Path = "/api/alerts/alertmanager";

    public sealed record WebhookResponse(int Received, int Recorded);

    public static IEndpointRouteBuilder MapAlertWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).WithTags("Alerts").WithName("ReceiveAlerts")
            .WithSummary("Alertmanager's webhook: each firing or resolved alert becomes a notification and an audit entry.")
            .RequireAuthorization(new AuthorizationPolicyBuilder(AlertWebhookAuthentication.SchemeName).RequireAuthenticatedUser().Build());
        return app;
    }

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem>> ReceiveAsync(
        AlertmanagerPayload payload, NotificationStore store, IAuditLog audit, ILogger<NotificationStore> logger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var alerts = AlertValidation.Validate(payload, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "No alert of this notification was recorded.");
        }

        var recorded = 0;
        foreach (var alert in alerts)
        {
            if (await store.TryAddAsync(alert, ct) is not { } added)
            {
                AlertsTrace.AlertRepeated(logger, LogText.Escape(alert.Name), alert.Status);
                continue;
            }

            recorded++;
            AlertsTrace.AlertReceived(logger, LogText.Escape(alert.Name), alert.Status, LogText.Escape(alert.Severity), LogText.Escape(alert.TenantSlug), added.Id);
            var firing = alert.Status == "firing";
            audit.Record(new AuditRecord
            {
                Action = firing ? "alert.fired" : "alert.resolved",
                // Never critical: a critical entry fires CriticalAuditEntry, whose own notification would then loop.
                Severity = firing ? "warning" : "info",
                TenantId = added.TenantId ?? AuditTenants.Platform,
                Actor = AuditActor.System("alertmanager"),
                ResourceType = "alert",
                ResourceId = alert.Fingerprint,
                ResourceName = alert.Name,
                Description = $"{alert.Name} {(firing ? "is firing" : "resolved")}: {alert.Summary}",
                Metadata = new { notificationId = added.Id, severity = alert.Severity, labels = alert.Labels, alert.StartsAt, alert.EndsAt },
            });
        }

        return TypedResults.Ok(new WebhookResponse(alerts.Count, recorded));
    }
}
