namespace Api.Usage;

/// <summary>Cost, latency and error rate per provider and model, from the call records in the unit's scope.</summary>
public sealed class ProviderStatsQuery
{
    public async Task<IReadOnlyList<ProviderStats>> GetAsync(DbScope db, DateTimeOffset since, CancellationToken ct)
    {
        // Latency is measured on calls that reached the provider (a refused call never left the Api).
        await using var command = db.Command("""
            SELECT provider, model, count(*),
                   count(*) FILTER (WHERE outcome = 'error'), count(*) FILTER (WHERE outcome = 'refused_cap'),
                   COALESCE(SUM(cost_usd), 0),
                   COALESCE(avg(latency_ms) FILTER (WHERE outcome <> 'refused_cap'), 0),
                   COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome <> 'refused_cap'), 0),
                   COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0)
            FROM llm_calls
            WHERE created_at >= @since AND (@all OR tenant_id = ANY(@tenants))
            GROUP BY provider, model ORDER BY 6 DESC, 1, 2
            """);
        command.Parameters.AddWithValue("since", since);
        db.AddTenantFilter(command.Parameters);
        return await command.ReadListAsync(r =>
        {
            var calls = r.GetInt64(2);
            var failed = r.GetInt64(3);
            var reached = calls - r.GetInt64(4);
            return new ProviderStats(r.GetString(0), r.GetString(1), calls, failed, r.GetInt64(4),
                reached == 0 ? 0 : (double)failed / reached, r.GetDecimal(5), r.GetDouble(6), r.GetDouble(7), r.GetInt64(8), r.GetInt64(9));
        }, ct);
    }
}
