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
            .PostConfigure(o => o.SourceService ??= builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditClientMetrics>();
        builder.Services.AddSingleton<AuditQueue>();
        builder.Services.AddSingleton<IAuditLog, AuditLog>();
        builder.Services.AddHttpClient<AuditSender>(AuditSender.HttpClientName);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditSender>());
        return builder;
    }
}
