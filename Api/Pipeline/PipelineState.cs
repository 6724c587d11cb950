using Api.Data;
using Api.Usage;

namespace Api.Pipeline;

/// <summary>The pipeline as the Dashboard shows it: statuses, approval backlog, stage durations and failure rates (last 24 hours), dead letters.</summary>
public sealed class PipelineStateQuery(AppDb db, ActivityStore activities)
{
    public async Task<PipelineStateView> GetAsync(TenantReadScope access, CancellationToken ct)
    {
        var byStatus = ActivityStatus.All.ToDictionary(s => s, _ => 0L);
        DateTimeOffset? oldest = null;
        // Dead letters first, so that the request holds one pooled connection at a time.
        var dead = await activities.ListAsync(access, ActivityStatus.DeadLetter, 50, ct);
        await using var scope = await db.OpenAsync(access, ct);
        await using (var command = scope.Command("""
            SELECT status, count(*), min(updated_at) FILTER (WHERE status = 'awaiting_approval')
            FROM activities WHERE (@all OR tenant_id = ANY(@tenants)) GROUP BY status
            """))
        {
            UsageQueries.AddAccess(command, access);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                byStatus[r.GetString(0)] = r.GetInt64(1);
                oldest ??= r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2);
            }
        }

        var durations = new List<StageDuration>();
        var failures = new List<RoleFailureRate>();
        await using (var command = scope.Command("""
            SELECT stage, agent_role, count(*), COALESCE(avg(extract(epoch FROM finished_at - started_at)), 0)
            FROM activity_stages
            WHERE started_at > now() - interval '24 hours' AND outcome = 'succeeded' AND (@all OR tenant_id = ANY(@tenants))
            GROUP BY stage, agent_role ORDER BY stage, agent_role
            """))
        {
            UsageQueries.AddAccess(command, access);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                durations.Add(new StageDuration(r.GetString(0), r.GetString(1), r.GetInt64(2), (double)r.GetDecimal(3)));
            }
        }

        await using (var command = scope.Command("""
            SELECT agent_role, count(*), count(*) FILTER (WHERE outcome IN ('failed', 'refused_cap', 'abandoned'))
            FROM activity_stages
            WHERE started_at > now() - interval '24 hours' AND outcome IS NOT NULL AND (@all OR tenant_id = ANY(@tenants))
            GROUP BY agent_role ORDER BY agent_role
            """))
        {
            UsageQueries.AddAccess(command, access);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var runs = r.GetInt64(1);
                var failed = r.GetInt64(2);
                failures.Add(new RoleFailureRate(r.GetString(0), runs, failed, runs == 0 ? 0 : (double)failed / runs));
            }
        }

        return new PipelineStateView(byStatus, byStatus[ActivityStatus.AwaitingApproval], oldest, durations, failures, dead);
    }
}
