using System.Diagnostics;
using AuditService.Ingestion;

namespace AuditService.Retention;

/// <summary>Retention as super admins see and drive it: the policy per category, the schedule, the latest runs, and "run now".</summary>
public static class RetentionApi
{
    public const string RunRequestedAction = "audit_log.retention_run";
    private const int RecentRuns = 20;

    [EndpointName("RetentionStatus"), EndpointSummary("The retention policy per category, when the next run is due, and the latest runs with what they dropped (super admins).")]
    public static async Task<Ok<RetentionStatus>> StatusAsync(RetentionStore store, RetentionJob job, IOptions<RetentionOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var partitions = await store.PartitionsAsync(ct);
        var policies = AuditVocabulary.Categories.Select(category => Policy(category, o, partitions)).ToList();
        return TypedResults.Ok(new RetentionStatus(policies, o.Interval, job.NextRunAt, await store.RunsAsync(RecentRuns, ct)));
    }

    [EndpointName("RunRetention"), EndpointSummary("Runs retention now and answers the run; recorded in the platform's audit log (super admins).")]
    public static async Task<Ok<RetentionRunView>> RunAsync(HttpContext http, RetentionJob job, AuditWriter writer, TimeProvider clock)
    {
        var reader = ReaderScope.From(http)!;
        // Not cancelled with the request: a run that started finishes and is recorded either way.
        var run = await job.RunRecordedAsync(RetentionTriggers.Manual, reader.ActorEmail ?? reader.ActorId, CancellationToken.None);
        var activity = Activity.Current;
        await writer.WriteAsync(
        [
            new AuditEvent(Guid.CreateVersion7(), AuditTenants.Platform, Microseconds.Truncate(clock.GetUtcNow()),
                "human", reader.ActorId, reader.ActorName, reader.ActorEmail, RunRequestedAction, "audit", run.Error is null ? "info" : "error",
                "retention_run", run.Id.ToString(), null,
                run.Error is null
                    ? $"Retention run on request: {run.DroppedEvents} entries of {run.Tenants} tenants dropped from {run.Partitions.Count} partitions"
                    : "Retention run on request failed",
                null, null, CanonicalJson.Normalize(JsonSerializer.Serialize(new { run.Id, run.Partitions, run.DroppedEvents, run.Tenants }, JsonSerializerOptions.Web)),
                run.Error, null, http.Connection.RemoteIpAddress, null, activity?.TraceId.ToHexString(), activity?.SpanId.ToHexString(), ServiceNames.AuditService),
        ]);
        return TypedResults.Ok(run);
    }

    private static RetentionPolicyView Policy(string category, RetentionOptions options, List<RetentionStore.Partition> partitions)
    {
        // Months made before categories were split hold both, and expire with the longest policy.
        var held = partitions.Where(p => p.Category == category || p.Category is null).ToList();
        var next = held.Where(p => options.KeepFor(p.Category) is not null)
            .Select(p => (p.Name, At: p.To + options.KeepFor(p.Category)!.Value)).OrderBy(p => p.At).FirstOrDefault();
        return new RetentionPolicyView(category, options.Days.TryGetValue(category, out var days) ? days : null,
            held.Count == 0 ? null : held.Min(p => p.From), next.Name is null ? null : next.At, next.Name);
    }
}
