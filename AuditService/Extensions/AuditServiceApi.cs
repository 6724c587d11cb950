using AuditService.ApiKeys;
using AuditService.Export;
using AuditService.Ingestion;
using AuditService.Integrity;
using AuditService.Queries;
using AuditService.Retention;

namespace AuditService.Extensions;

/// <summary>
/// The service's whole HTTP surface in one table: every route beside the key permission or policy it requires, so a
/// review of who may call what reads one screen. Each handler carries its own name and summary.
/// </summary>
public static class AuditServiceApi
{
    public static IEndpointRouteBuilder MapAuditServiceApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1");

        // Ingest answers once its events are committed and an export streams as long as its set takes: should request
        // timeouts ever be configured, neither is cut by one.
        v1.MapPost("/events", EventsApi.IngestAsync).WithTags("Events").RequireAuthorization(ApiKeyPermissions.Write).DisableRequestTimeout();

        var log = v1.MapGroup("/audit-events").WithTags("Audit log").RequireAuthorization(AuthExtensions.ReaderPolicy);
        log.MapGet("/", QueriesApi.ListAsync);
        log.MapGet("/{id:guid}", QueriesApi.GetAsync);
        log.MapGet("/stats", QueriesApi.StatsAsync);
        log.MapGet("/export", ExportApi.ExportAsync).DisableRequestTimeout();

        var integrity = v1.MapGroup("/integrity").WithTags("Integrity").RequireAuthorization(AuthExtensions.ReaderPolicy);
        integrity.MapGet("/verify", IntegrityApi.VerifyAsync);
        integrity.MapPost("/verify", IntegrityApi.VerifyAgainstAsync);
        integrity.MapGet("/checkpoints", IntegrityApi.CheckpointsAsync);

        var keys = v1.MapGroup("/admin/api-keys").WithTags("API keys").RequireAuthorization(ApiKeyPermissions.Admin);
        keys.MapPost("/", ApiKeysApi.CreateAsync);
        keys.MapGet("/", ApiKeysApi.ListAsync);
        keys.MapDelete("/{id:guid}", ApiKeysApi.RevokeAsync);

        var retention = v1.MapGroup("/retention").WithTags("Retention").RequireAuthorization(AuthExtensions.SuperAdminPolicy);
        retention.MapGet("/", RetentionApi.StatusAsync);
        retention.MapPost("/run", RetentionApi.RunAsync);

        return app;
    }
}
