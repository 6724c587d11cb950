using Audit.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class AuditClientExtensions
{
    /// <summary>Registers <see cref="IAuditLog"/> and its background sender, configured from the AuditClient section.</summary>
    public static IHostApplicationBuilder AddAuditClient(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue($"{AuditClientOptions.SectionName}:Enabled", true))
        {
            // Auditing off, for measuring what it costs; never the case in a real deployment.
            builder.Services.AddSingleton<IAuditLog, DisabledAuditLog>();
            return builder;
        }

        builder.Services.AddOptions<AuditClientOptions>()
            .BindConfiguration(AuditClientOptions.SectionName)
            .PostConfigure(o =>
            {
                o.SourceService ??= builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
                o.SpillDirectory ??= Path.Combine(builder.Environment.ContentRootPath, "audit-spill");
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditClientMetrics>();
        builder.Services.AddSingleton<SpillStore>();
        builder.Services.AddSingleton<AuditQueue>();
        builder.Services.AddSingleton<IAuditLog, AuditLog>();
        // The sender has its own retry, backoff and disk queue: a generic resilience handler retrying
        // inside it would only delay the move to disk while AuditService is away.
#pragma warning disable EXTEXP0001 // experimental, but the documented way to opt one client out of the defaults
        builder.Services.AddHttpClient<AuditSender>(AuditSender.HttpClientName)
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            // The factory's request logging would write four info lines per batch; the sender logs what goes wrong itself.
            .RemoveAllLoggers()
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditSender>());
        return builder;
    }
}
