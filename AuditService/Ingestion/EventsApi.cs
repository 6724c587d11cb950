using System.Diagnostics;
using AuditService.ApiKeys;

namespace AuditService.Ingestion;

public static class EventsApi
{
    [EndpointName("IngestEvents"), EndpointSummary("Stores one event or a batch; answers once they are committed.")]
    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, [AsParameters] IngestServices services)
    {
        using var activity = services.Telemetry.ActivitySource.StartActivity("audit.ingest");
        var key = http.Features.Get<ApiKey>()!;
        var options = services.Options.Value;

        var parsed = await IngestRequestParser.ParseAsync(http.Request, options, http.RequestAborted);
        if (parsed.Problem is { } problem)
        {
            services.Metrics.Rejected(1, parsed.Reason!);
            activity?.SetTag("audit.outcome", parsed.Reason);
            return problem;
        }

        var dtos = parsed.Events!;
        activity?.SetTag("audit.batch.size", dtos.Count);

        var errors = new Dictionary<string, string[]>();
        var events = new List<AuditEvent>(dtos.Count);
        for (var i = 0; i < dtos.Count; i++)
        {
            int? index = parsed.IsBatch ? i : null;
            if (dtos[i] is null)
            {
                errors[index is null ? "$" : $"[{i}]"] = ["must be an event object."];
                continue;
            }

            if (services.Validator.Validate(dtos[i]!, index, errors) is { } e)
            {
                events.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            services.Metrics.Rejected(dtos.Count, "validation");
            activity?.SetTag("audit.outcome", "invalid");
            return TypedResults.ValidationProblem(errors, detail: "Some events are invalid; none of this request was stored.");
        }

        var foreign = events.FindIndex(e => !key.MayWriteFor(e.TenantId));
        if (foreign >= 0)
        {
            services.Metrics.Rejected(events.Count, "tenant_scope");
            activity?.SetTag("audit.outcome", "forbidden");
            var field = parsed.IsBatch ? $"[{foreign}].tenantId" : "tenantId";
            return TypedResults.Problem(statusCode: 403, title: "Tenant outside the key's scope",
                detail: $"{field}: this API key may only write for tenant {key.TenantId}.",
                extensions: new Dictionary<string, object?> { ["field"] = field });
        }

        if (!services.Quota.TryTake(key.Id, events.Count, out var retryAfter))
        {
            services.Metrics.Rejected(events.Count, "quota");
            activity?.SetTag("audit.outcome", "quota");
            return TooMany(http, retryAfter, "This API key is over its event quota.");
        }

        try
        {
            var results = await services.Writer.WriteAsync(events);
            if (Conflicts(results, parsed.IsBatch) is { Count: > 0 } conflicts)
            {
                services.Metrics.Rejected(events.Count, "conflict");
                activity?.SetTag("audit.outcome", "conflict");
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Event id already stored with other content",
                    detail: $"{string.Join(", ", conflicts.Keys)}: an event id is stored once per tenant, and this one was stored with " +
                        "different content. None of this request was stored; send new events with new ids.",
                    extensions: new Dictionary<string, object?> { ["errors"] = conflicts, ["field"] = conflicts.Keys.First() });
            }

            var duplicates = results.Count(r => r.Status == IngestStatus.Duplicate);
            services.Metrics.Accepted(events, results);
            services.Metrics.Duplicates(duplicates);
            activity?.SetTag("audit.outcome", "committed");
            activity?.SetTag("audit.duplicates", duplicates);
            return TypedResults.Ok(new IngestResponse(results.Count - duplicates, duplicates, results));
        }
        catch (QueueFullException)
        {
            services.Metrics.Rejected(events.Count, "queue_full");
            activity?.SetTag("audit.outcome", "queue_full");
            return TooMany(http, TimeSpan.FromSeconds(1), "The write queue is full.");
        }
        catch (StorageUnavailableException ex)
        {
            services.Metrics.Rejected(events.Count, "storage_unavailable");
            activity?.SetError(ex);
            http.Response.Headers.RetryAfter = "2";
            return TypedResults.Problem(statusCode: 503, title: "Audit store unavailable",
                detail: "The events were not stored. Retry later with the same ids.");
        }
    }

    private static Dictionary<string, string[]> Conflicts(IReadOnlyList<IngestResult> results, bool isBatch)
    {
        var conflicts = new Dictionary<string, string[]>();
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Status == IngestStatus.Conflict)
            {
                conflicts[isBatch ? $"[{i}].id" : "id"] = [$"{results[i].Id} was stored before with different content."];
            }
        }

        return conflicts;
    }

    private static ProblemHttpResult TooMany(HttpContext http, TimeSpan retryAfter, string detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: 429, title: "Too many events",
            detail: $"{detail} Retry after {seconds} s with the same ids.");
    }
}
