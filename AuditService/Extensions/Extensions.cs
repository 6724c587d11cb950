using AuditService.ApiKeys;
using AuditService.Events;
using AuditService.Ingestion;
using AuditService.Partitions;
using Microsoft.AspNetCore.Authentication;

namespace AuditService.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDatabase("auditdb", typeof(Extensions));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache();

        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SeedKeysOptions>().BindConfiguration(SeedKeysOptions.SectionName).ValidateOnStart();

        // Order matters: migrations (added above), then partitions and seed keys, then the writer.
        builder.Services.AddSingleton<PartitionMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PartitionMaintenance>());
        builder.Services.AddHostedService<SeedKeysHostedService>();

        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuditEventValidator>();
        builder.Services.AddSingleton<AuditEventReader>();
        builder.Services.AddSingleton<Chain.ChainVerifier>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<KeyQuota>();
        builder.Services.AddSingleton<ChainedBatchStore>();
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(options =>
        {
            foreach (var permission in ApiKeyPermissions.All)
            {
                options.AddPolicy(permission, p => p.RequireClaim(ApiKeyAuthenticationHandler.PermissionClaim, permission));
            }
        });
    }
}
