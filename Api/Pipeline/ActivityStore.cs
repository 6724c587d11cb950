namespace Api.Pipeline;

/// <summary>The API side of activities: create, read, decide, retry; within the unit of work the request opened.</summary>
public sealed class ActivityStore
{
    private const string Columns = """
        id, tenant_id, kind, input, status, stage_index, attempts, output, last_error, trace_id, created_by, created_by_name,
        decided_by, decision_note, created_at, updated_at, completed_at, available_at
        """;

    public async Task<PipelineActivity> CreateAsync(DbScope db, Guid tenantId, string kind, string input, string? traceParent, string? traceId,
        string createdBy, string? createdByName, CancellationToken ct)
    {
        await using var command = db.Command($"""
            INSERT INTO activities (id, tenant_id, kind, input, status, traceparent, trace_id, created_by, created_by_name)
            VALUES (@id, @tenant, @kind, @input, 'queued', @traceparent, @trace, @by, @by_name)
            RETURNING {Columns}
            """);
        var p = command.Parameters;
        p.AddWithValue("id", Guid.CreateVersion7());
        p.AddWithValue("tenant", tenantId);
        p.AddWithValue("kind", kind);
        p.AddWithValue("input", input);
        p.AddWithValue("traceparent", NpgsqlTypes.NpgsqlDbType.Text, (object?)traceParent ?? DBNull.Value);
        p.AddWithValue("trace", NpgsqlTypes.NpgsqlDbType.Text, (object?)traceId ?? DBNull.Value);
        p.AddWithValue("by", createdBy);
        p.AddWithValue("by_name", NpgsqlTypes.NpgsqlDbType.Text, (object?)createdByName ?? DBNull.Value);
        return (await ReadAsync(command, ct))[0];
    }

    /// <summary>The activity if it is in the unit's scope.</summary>
    public async Task<PipelineActivity?> FindAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM activities WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<PipelineActivity>> ListAsync(DbScope db, string? status, int limit, CancellationToken ct)
    {
        await using var command = db.Command($"""
            SELECT {Columns} FROM activities
            WHERE (@all OR tenant_id = ANY(@tenants)) AND (@status::text IS NULL OR status = @status)
            ORDER BY created_at DESC LIMIT @limit
            """);
        db.AddTenantFilter(command.Parameters);
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, ct);
    }

    /// <summary>Moves an activity from one status to another; null when it was not in the expected status.</summary>
    public async Task<PipelineActivity?> TransitionAsync(DbScope db, Guid tenantId, Guid id, string from, string to, string by, string? note, CancellationToken ct)
    {
        var finished = to is ActivityStatus.Completed or ActivityStatus.Rejected;
        await using var command = db.Command($"""
            UPDATE activities
            SET status = @to, decided_by = CASE WHEN @finished THEN @by ELSE decided_by END,
                decision_note = CASE WHEN @finished THEN @note ELSE decision_note END,
                completed_at = CASE WHEN @finished THEN now() ELSE completed_at END,
                attempts = CASE WHEN @to = 'queued' THEN 0 ELSE attempts END,
                last_error = CASE WHEN @to = 'queued' THEN NULL ELSE last_error END,
                available_at = CASE WHEN @to = 'queued' THEN now() ELSE available_at END,
                updated_at = now()
            WHERE id = @id AND tenant_id = @tenant AND status = @from
            RETURNING {Columns}
            """);
        var p = command.Parameters;
        p.AddWithValue("id", id);
        p.AddWithValue("tenant", tenantId);
        p.AddWithValue("from", from);
        p.AddWithValue("to", to);
        p.AddWithValue("finished", finished);
        p.AddWithValue("by", by);
        p.AddWithValue("note", NpgsqlTypes.NpgsqlDbType.Text, (object?)note ?? DBNull.Value);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<StageRun>> TimelineAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command("""
            SELECT id, stage, agent_role, attempt, worker, started_at, finished_at, outcome, error, output
            FROM activity_stages WHERE activity_id = @id ORDER BY id
            """);
        command.Parameters.AddWithValue("id", id);
        return await command.ReadListAsync(
            r => new StageRun(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), Text(r, 7), Text(r, 8), Text(r, 9)), ct);
    }

    public async Task<IReadOnlyList<LlmCallView>> CallsAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command("""
            SELECT id, stage, actor_type, actor, provider, model, input_tokens, cached_input_tokens, output_tokens, cost_usd,
                   latency_ms, outcome, error, output_preview, trace_id, created_at
            FROM llm_calls WHERE activity_id = @id ORDER BY created_at
            """);
        command.Parameters.AddWithValue("id", id);
        return await command.ReadListAsync(
            r => new LlmCallView(r.GetGuid(0), Text(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6),
                r.GetInt64(7), r.GetInt64(8), r.GetDecimal(9), r.GetDouble(10), r.GetString(11), Text(r, 12), Text(r, 13), Text(r, 14),
                r.GetFieldValue<DateTimeOffset>(15)), ct);
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static async Task<List<PipelineActivity>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var list = new List<PipelineActivity>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var kind = r.GetString(2);
            list.Add(new PipelineActivity(r.GetGuid(0), r.GetGuid(1), kind, r.GetString(3), r.GetString(4), r.GetInt32(5),
                AgentStages.ByKind.TryGetValue(kind, out var stages) ? stages.Length : 0, r.GetInt32(6), Text(r, 7), Text(r, 8), Text(r, 9),
                r.GetString(10), Text(r, 11), Text(r, 12), Text(r, 13), r.GetFieldValue<DateTimeOffset>(14), r.GetFieldValue<DateTimeOffset>(15),
                r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16), r.GetFieldValue<DateTimeOffset>(17)));
        }

        return list;
    }
}
