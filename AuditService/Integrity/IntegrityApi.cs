using AuditService.Auth;
using AuditService.Chain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuditService.Integrity;

public static class IntegrityApi
{
    public static IEndpointRouteBuilder MapIntegrityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/integrity").WithTags("Integrity").RequireAuthorization(AuthExtensions.ReaderPolicy);

        api.MapGet("/verify", VerifyAsync)
            .WithName("VerifyChain")
            .WithSummary("Walks a tenant's chain: intact, or the first bad sequence number and what is wrong.");
        api.MapPost("/verify", VerifyAgainstAsync)
            .WithName("VerifyChainAgainstCheckpoints")
            .WithSummary("As GET, also holding the chain to checkpoints exported earlier and kept outside the database.");
        api.MapGet("/checkpoints", CheckpointsAsync)
            .WithName("ExportCheckpoints")
            .WithSummary("The signed checkpoints of every chain in the reader's scope, to keep outside the database.");
        return app;
    }

    public static Task<Results<Ok<ChainVerdict>, ValidationProblem, NotFound<ProblemDetails>, ForbidHttpResult>> VerifyAsync(
        HttpContext http, Guid? tenant, ChainVerifier verifier) => VerifyAgainstAsync(http, tenant, null, verifier);

    public static async Task<Results<Ok<ChainVerdict>, ValidationProblem, NotFound<ProblemDetails>, ForbidHttpResult>> VerifyAgainstAsync(
        HttpContext http, Guid? tenant, [FromBody] Checkpoint[]? checkpoints, ChainVerifier verifier)
    {
        if (tenant is not { } t)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tenant"] = ["is required: the tenant whose chain to verify."] });
        }

        var reader = ReaderScope.From(http)!;
        if (reader.OwnActorId is not null)
        {
            return TypedResults.Forbid();
        }

        if (!reader.MaySee(t))
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Not found", Detail = $"No chain for tenant {t}." });
        }

        var foreign = Array.FindIndex(checkpoints ?? [], c => c.TenantId != t);
        if (foreign >= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"[{foreign}].tenantId"] = [$"must be {t}, the tenant being verified."] });
        }

        return TypedResults.Ok(await verifier.VerifyAsync(t, checkpoints ?? [], http.RequestAborted));
    }

    public static async Task<Results<Ok<List<Checkpoint>>, ForbidHttpResult>> CheckpointsAsync(HttpContext http, Guid? tenant, CheckpointStore store)
    {
        var reader = ReaderScope.From(http)!;
        if (reader.OwnActorId is not null)
        {
            return TypedResults.Forbid();
        }

        var tenants = reader.Narrow(tenant);
        return TypedResults.Ok(tenants is { Count: 0 } ? [] : await store.ListAsync(tenants, http.RequestAborted));
    }
}
