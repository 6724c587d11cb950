namespace Api.Alerts;

internal static partial class AlertsTrace
{
    // Alert names, severities and tenant labels come from another system: escaped (LogText) before they are logged.
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Alert {AlertName} {AlertStatus} (severity {Severity}, tenant {Tenant}): notification {NotificationId}")]
    public static partial void AlertReceived(ILogger logger, string? alertName, string alertStatus, string? severity, string? tenant, Guid notificationId);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Alert {AlertName} {AlertStatus} was already recorded; Alertmanager repeated it")]
    public static partial void AlertRepeated(ILogger logger, string? alertName, string alertStatus);
}
