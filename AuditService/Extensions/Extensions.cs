using AuditService.ApiKeys;
using AuditService.Export;
using AuditService.Integrity;
using AuditService.Queries;
using AuditService.Retention;
using AuditService.Ingestion;
using AuditService.Partitions;
using Microsoft.AspNetCore.Authentication;

namespace AuditService.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDatabase("auditdb", typeof(Extensions), PostgresPlanCaching.Apply);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, IngestJsonContext.Default));

        builder.Services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        builder.Services.AddOptions<SeedKeysOptions>().BindConfiguration(SeedKeysOptions.SectionName).ValidateOnStart();

        // Order matters: migrations (added above), then retention policies, partitions and seed keys, then the writer.
        builder.Services.AddHostedService<RetentionPolicySync>();
        builder.Services.AddHostedSingleton<PartitionMaintenance>();
        builder.Services.AddHostedService<SeedKeysHostedService>();

        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuditEventValidator>();
        builder.Services.AddSingleton<AuditDb>();
        builder.Services.AddSingleton<ChainVerifier>();
        builder.Services.AddInstruments<IngestMetrics>();
        builder.Services.AddSingleton<KeyQuota>();
        builder.Services.AddHostedSingleton<AuditWriter>();

        var authentication = builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.AddReaderAuthentication(authentication);
        builder.AddReadSide();
        builder.Services.AddAuthorization(options =>
        {
            foreach (var permission in ApiKeyPermissions.All)
            {
                options.AddPolicy(permission, p => p.RequireClaim(ApiKeyAuthenticationHandler.PermissionClaim, permission));
            }
        });
    }

    /// <summary>Queries, export, integrity and retention: everything that reads or ages the log.</summary>
    private static void AddReadSide(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ReadAuditOptions>(ReadAuditOptions.SectionName);
        builder.Services.AddValidatedOptions<ExportOptions>(ExportOptions.SectionName);
        builder.Services.AddValidatedOptions<IntegrityOptions>(IntegrityOptions.SectionName);
        builder.Services.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);

        builder.Services.AddSingleton<AuditQueryReader>();
        builder.Services.AddSingleton<ReadAuditor>();
        builder.Services.AddSingleton<ExportSlots>();
        builder.Services.AddSingleton<Signer>();
        builder.Services.AddSingleton<CheckpointStore>();
        builder.Services.AddInstruments<IntegrityMetrics>();
        builder.Services.AddHostedService<CheckpointJob>();
        builder.Services.AddHostedSingleton<ChainWalkJob>();
        builder.Services.AddSingleton<RetentionStore>();
        builder.Services.AddHostedSingleton<RetentionJob>();
    }
}
