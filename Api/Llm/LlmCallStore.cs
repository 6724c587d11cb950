namespace Api.Llm;

/// <summary>Writes a call and its daily rollup together (one batch: both or neither), and removes calls past their retention.</summary>
public sealed class LlmCallStore
{
    public async Task SaveAsync(DbScope db, LlmCallRecord call, CancellationToken ct)
    {
        await using var batch = db.Batch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO llm_calls (id, tenant_id, activity_id, stage, actor_type, actor, provider, model, input_tokens,
                cached_input_tokens, output_tokens, cost_usd, latency_ms, outcome, error, input_sha256, output_preview, trace_id, created_at)
            VALUES (@id, @tenant, @activity, @stage, @actor_type, @actor, @provider, @model, @input, @cached, @output, @cost,
                @latency, @outcome, @error, @sha, @preview, @trace, @at)
            """);
        var p = insert.Parameters;
        p.AddWithValue("id", call.Id);
        p.AddWithValue("tenant", call.Caller.TenantId);
        p.AddWithValue("activity", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)call.Caller.ActivityId ?? DBNull.Value);
        p.AddWithValue("stage", NpgsqlTypes.NpgsqlDbType.Text, (object?)call.Caller.Stage ?? DBNull.Value);
        p.AddWithValue("actor_type", call.Caller.ActorType);
        p.AddWithValue("actor", call.Caller.Actor);
        p.AddWithValue("provider", call.Provider);
        p.AddWithValue("model", call.Model);
        p.AddWithValue("input", call.Tokens.Input);
        p.AddWithValue("cached", call.Tokens.CachedInput);
        p.AddWithValue("output", call.Tokens.Output);
        p.AddWithValue("cost", call.CostUsd);
        p.AddWithValue("latency", call.LatencyMs);
        p.AddWithValue("outcome", call.Outcome);
        p.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)call.Error ?? DBNull.Value);
        p.AddWithValue("sha", call.InputSha256);
        p.AddWithValue("preview", NpgsqlTypes.NpgsqlDbType.Text, (object?)call.OutputPreview ?? DBNull.Value);
        p.AddWithValue("trace", NpgsqlTypes.NpgsqlDbType.Text, (object?)call.TraceId ?? DBNull.Value);
        p.AddWithValue("at", call.CreatedAt);

        var rollup = new NpgsqlBatchCommand("""
            INSERT INTO llm_usage_daily AS u (day, tenant_id, provider, model, calls, failed_calls, refused_calls,
                input_tokens, cached_input_tokens, output_tokens, cost_usd)
            VALUES (@day, @tenant, @provider, @model, 1, @failed, @refused, @input, @cached, @output, @cost)
            ON CONFLICT (tenant_id, day, provider, model) DO UPDATE SET
                calls = u.calls + 1,
                failed_calls = u.failed_calls + EXCLUDED.failed_calls,
                refused_calls = u.refused_calls + EXCLUDED.refused_calls,
                input_tokens = u.input_tokens + EXCLUDED.input_tokens,
                cached_input_tokens = u.cached_input_tokens + EXCLUDED.cached_input_tokens,
                output_tokens = u.output_tokens + EXCLUDED.output_tokens,
                cost_usd = u.cost_usd + EXCLUDED.cost_usd
            """);
        p = rollup.Parameters;
        p.AddWithValue("day", DateOnly.FromDateTime(call.CreatedAt.UtcDateTime));
        p.AddWithValue("tenant", call.Caller.TenantId);
        p.AddWithValue("provider", call.Provider);
        p.AddWithValue("model", call.Model);
        p.AddWithValue("failed", call.Outcome == LlmOutcomes.Error ? 1L : 0L);
        p.AddWithValue("refused", call.Outcome == LlmOutcomes.RefusedCap ? 1L : 0L);
        p.AddWithValue("input", call.Tokens.Input);
        p.AddWithValue("cached", call.Tokens.CachedInput);
        p.AddWithValue("output", call.Tokens.Output);
        p.AddWithValue("cost", call.CostUsd);

        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(rollup);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes call records older than the cutoff; the rollups stay.</summary>
    public async Task<int> DeleteOlderThanAsync(DbScope db, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var command = db.Command("DELETE FROM llm_calls WHERE created_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(ct);
    }
}

public static class LlmOutcomes
{
    public const string Success = "success";
    public const string Error = "error";
    public const string RefusedCap = "refused_cap";
}
