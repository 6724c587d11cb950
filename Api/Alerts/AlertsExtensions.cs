using Microsoft.AspNetCore.Authentication;

namespace Api.Alerts;

public static class AlertsExtensions
{
    /// <summary>Alertmanager's webhook (with its secret, validated at start-up) and the notifications it creates.</summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AlertWebhookOptions>(AlertWebhookOptions.SectionName);
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AlertWebhookAuthentication>(AlertWebhookAuthentication.SchemeName, null);
        builder.Services.AddSingleton<NotificationStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app) => app.MapAlertWebhookApi().MapNotificationsApi();
}
