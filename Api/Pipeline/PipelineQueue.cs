namespace Api.Pipeline;

/// <summary>
/// The worker side of the durable queue. A claim takes one ready activity with FOR UPDATE SKIP LOCKED and
/// leases it; every later write is fenced by the lease token, so a worker that lost its lease (crashed,
/// paused, too slow) can no longer move the activity on. Only the claim looks across tenants (platform
/// scope); everything after it runs in the claimed activity's tenant scope.
/// </summary>
public sealed class PipelineQueue(AppDb db)
{
    public async Task<ClaimedActivity?> ClaimAsync(string worker, TimeSpan lease, CancellationToken ct)
    {
        // Platform scope: the queue is shared by every tenant and the claim picks the next ready activity of any.
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = scope.Command("""
            WITH next AS (
                SELECT id FROM activities
                WHERE (status = 'queued' AND available_at <= now()) OR (status = 'running' AND lease_until < now())
                ORDER BY available_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE activities a
            SET status = 'running', attempts = a.attempts + 1, lease_token = @token, lease_until = now() + @lease,
                leased_by = @worker, updated_at = now()
            FROM next WHERE a.id = next.id
            RETURNING a.id, a.tenant_id, a.kind, a.input, a.stage_index, a.attempts, a.traceparent, a.output, a.lease_token
            """);
        command.Parameters.AddWithValue("token", Guid.NewGuid());
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("worker", worker);
        ClaimedActivity? claimed = null;
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                claimed = new ClaimedActivity(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5),
                    r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetGuid(8));
            }
        }

        await scope.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Opens the stage's row in the timeline, closing any attempt a lost worker left open.</summary>
    public async Task<long> StartStageAsync(ClaimedActivity activity, AgentStage stage, string worker, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Of(activity.TenantId), ct);
        await using var command = scope.Command("""
            WITH abandoned AS (
                UPDATE activity_stages SET outcome = 'abandoned', finished_at = now(), error = 'the worker lost its lease (crashed or stalled)'
                WHERE activity_id = @id AND outcome IS NULL)
            INSERT INTO activity_stages (activity_id, tenant_id, stage, agent_role, attempt, worker)
            VALUES (@id, @tenant, @stage, @role, @attempt, @worker)
            RETURNING id
            """);
        command.Parameters.AddWithValue("id", activity.Id);
        command.Parameters.AddWithValue("tenant", activity.TenantId);
        command.Parameters.AddWithValue("stage", stage.Name);
        command.Parameters.AddWithValue("role", stage.AgentRole);
        command.Parameters.AddWithValue("attempt", activity.Attempts);
        command.Parameters.AddWithValue("worker", worker);
        return await scope.CommitAsync((long)(await command.ExecuteScalarAsync(ct))!, ct);
    }

    /// <summary>Moves the activity to its next stage (or to awaiting approval); false when the lease was lost.</summary>
    public async Task<bool> CompleteStageAsync(ClaimedActivity activity, long stageId, string output, bool last, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Of(activity.TenantId), ct);
        await using var command = scope.Command("""
            WITH moved AS (
                UPDATE activities
                SET stage_index = stage_index + 1, attempts = 0, output = @output, status = @next, last_error = NULL,
                    lease_token = NULL, lease_until = NULL, leased_by = NULL, available_at = now(), updated_at = now()
                WHERE id = @id AND lease_token = @token AND status = 'running'
                RETURNING id)
            UPDATE activity_stages SET outcome = 'succeeded', finished_at = now(), output = @output
            WHERE id = @stage AND EXISTS (SELECT 1 FROM moved)
            """);
        command.Parameters.AddWithValue("id", activity.Id);
        command.Parameters.AddWithValue("token", activity.LeaseToken);
        command.Parameters.AddWithValue("output", output);
        command.Parameters.AddWithValue("next", last ? ActivityStatus.AwaitingApproval : ActivityStatus.Queued);
        command.Parameters.AddWithValue("stage", stageId);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    /// <summary>Schedules a retry after the backoff, or parks the activity in the dead letter state; false when the lease was lost.</summary>
    public async Task<bool> FailStageAsync(ClaimedActivity activity, long stageId, string outcome, string error, bool deadLetter, TimeSpan backoff, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Of(activity.TenantId), ct);
        await using var command = scope.Command("""
            WITH failed AS (
                UPDATE activities
                SET status = @status, last_error = @error, available_at = now() + @backoff,
                    lease_token = NULL, lease_until = NULL, leased_by = NULL, updated_at = now()
                WHERE id = @id AND lease_token = @token AND status = 'running'
                RETURNING id)
            UPDATE activity_stages SET outcome = @outcome, finished_at = now(), error = @error
            WHERE id = @stage AND EXISTS (SELECT 1 FROM failed)
            """);
        command.Parameters.AddWithValue("id", activity.Id);
        command.Parameters.AddWithValue("token", activity.LeaseToken);
        command.Parameters.AddWithValue("status", deadLetter ? ActivityStatus.DeadLetter : ActivityStatus.Queued);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("backoff", backoff);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.AddWithValue("stage", stageId);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    /// <summary>Gives the activity back at shutdown without counting the interrupted try.</summary>
    public async Task ReleaseAsync(ClaimedActivity activity, long? stageId)
    {
        await using var scope = await db.OpenAsync(TenantScope.Of(activity.TenantId), CancellationToken.None);
        await using var command = scope.Command("""
            WITH released AS (
                UPDATE activities
                SET status = 'queued', attempts = GREATEST(attempts - 1, 0), lease_token = NULL, lease_until = NULL,
                    leased_by = NULL, available_at = now(), updated_at = now()
                WHERE id = @id AND lease_token = @token AND status = 'running'
                RETURNING id)
            UPDATE activity_stages SET outcome = 'abandoned', finished_at = now(), error = 'the worker stopped (shutdown)'
            WHERE id = @stage AND EXISTS (SELECT 1 FROM released)
            """);
        command.Parameters.AddWithValue("id", activity.Id);
        command.Parameters.AddWithValue("token", activity.LeaseToken);
        command.Parameters.AddWithValue("stage", stageId ?? -1L);
        await scope.ExecuteAndCommitAsync(command, CancellationToken.None);
    }
}
