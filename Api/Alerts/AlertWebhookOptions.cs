namespace Api.Alerts;

/// <summary>The shared secret Alertmanager sends as a bearer token to the alert webhook (alertmanager/alertmanager.yml).</summary>
public sealed class AlertWebhookOptions
{
    public const string SectionName = "AlertWebhook";

    /// <summary>Required: without it no alert could be delivered, which start-up says at once rather than dropping alerts.</summary>
    [Required, MinLength(32)]
    public string Secret { get; set; } = "";
}
