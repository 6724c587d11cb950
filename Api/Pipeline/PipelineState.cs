namespace Api.Pipeline;

/// <summary>
/// The pipeline as the Dashboard shows it: statuses, approval backlog, stage durations and failure rates (last 24 hours),
/// dead letters, and the stage runs that finished in the last hour.
/// </summary>
public sealed class PipelineStateQuery(ActivityStore activities)
{
    /// <summary>The pipeline within the unit's scope.</summary>
    public async Task<PipelineStateView> GetAsync(DbScope db, CancellationToken ct)
    {
        var byStatus = ActivityStatus.All.ToDictionary(s => s, _ => 0L);
        DateTimeOffset? oldest = null;
        var dead = await activities.ListAsync(db, ActivityStatus.DeadLetter, 50, ct);
        await using (var command = db.Command("""
            SELECT status, count(*), min(updated_at) FILTER (WHERE status = 'awaiting_approval')
            FROM activities WHERE (@all OR tenant_id = ANY(@tenants)) GROUP BY status
            """))
        {
            db.AddTenantFilter(command.Parameters);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                byStatus[r.GetString(0)] = r.GetInt64(1);
                oldest ??= r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2);
            }
        }

        var durations = new List<StageDuration>();
        var failures = new List<RoleFailureRate>();
        await using (var command = db.Command("""
            SELECT stage, agent_role, count(*), COALESCE(avg(extract(epoch FROM finished_at - started_at)), 0)
            FROM activity_stages
            WHERE started_at > now() - interval '24 hours' AND outcome = 'succeeded' AND (@all OR tenant_id = ANY(@tenants))
            GROUP BY stage, agent_role ORDER BY stage, agent_role
            """))
        {
            db.AddTenantFilter(command.Parameters);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                durations.Add(new StageDuration(r.GetString(0), r.GetString(1), r.GetInt64(2), (double)r.GetDecimal(3)));
            }
        }

        await using (var command = db.Command("""
            SELECT agent_role, count(*), count(*) FILTER (WHERE outcome IN ('failed', 'refused_cap', 'abandoned'))
            FROM activity_stages
            WHERE started_at > now() - interval '24 hours' AND outcome IS NOT NULL AND (@all OR tenant_id = ANY(@tenants))
            GROUP BY agent_role ORDER BY agent_role
            """))
        {
            db.AddTenantFilter(command.Parameters);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var runs = r.GetInt64(1);
                var failed = r.GetInt64(2);
                failures.Add(new RoleFailureRate(r.GetString(0), runs, failed, runs == 0 ? 0 : (double)failed / runs));
            }
        }

        StageOutcomes lastHour;
        await using (var command = db.Command("""
            SELECT count(*), count(*) FILTER (WHERE outcome = 'succeeded')
            FROM activity_stages
            WHERE finished_at > now() - interval '1 hour' AND outcome IS NOT NULL AND (@all OR tenant_id = ANY(@tenants))
            """))
        {
            db.AddTenantFilter(command.Parameters);
            await using var r = await command.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            lastHour = new StageOutcomes(r.GetInt64(0), r.GetInt64(1));
        }

        return new PipelineStateView(byStatus, byStatus[ActivityStatus.AwaitingApproval], oldest, durations, failures, dead, lastHour);
    }
}
