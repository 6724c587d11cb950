using Microsoft.AspNetCore.Mvc;

namespace AuditService.Integrity;

public static class IntegrityApi
{
    [EndpointName("VerifyChain"), EndpointSummary("Walks a tenant's chain: intact, or the first bad sequence number and what is wrong.")]
    public static Task<Results<Ok<ChainVerdict>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> VerifyAsync(
        HttpContext http, Guid? tenant, ChainVerifier verifier, IntegrityMetrics metrics) => VerifyAgainstAsync(http, tenant, null, verifier, metrics);

    [EndpointName("VerifyChainAgainstCheckpoints"), EndpointSummary("As GET, also holding the chain to checkpoints exported earlier and kept outside the database.")]
    public static async Task<Results<Ok<ChainVerdict>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> VerifyAgainstAsync(
        HttpContext http, Guid? tenant, [FromBody] Checkpoint[]? checkpoints, ChainVerifier verifier, IntegrityMetrics metrics)
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
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"tenant: no chain for tenant {t}.");
        }

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < (checkpoints?.Length ?? 0); i++)
        {
            Checkpoint.Validate(checkpoints![i], t, $"[{i}]", errors);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The checkpoints must be as GET /api/v1/integrity/checkpoints exported them.");
        }

        var verdict = await verifier.VerifyAsync(t, checkpoints ?? [], http.RequestAborted);
        metrics.Verified(verdict);
        return TypedResults.Ok(verdict);
    }

    [EndpointName("ExportCheckpoints"), EndpointSummary("The signed checkpoints of every chain in the reader's scope, to keep outside the database.")]
    public static async Task<Results<Ok<List<Checkpoint>>, ForbidHttpResult>> CheckpointsAsync(HttpContext http, Guid? tenant, CheckpointStore store)
    {
        var reader = ReaderScope.From(http)!;
        if (reader.OwnActorId is not null)
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(reader.Narrow(tenant) is { SeesNothing: false } scope ? await store.ListAsync(scope, http.RequestAborted) : []);
    }
}
