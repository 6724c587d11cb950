namespace Api.Usage;

/// <summary>Reads over the daily rollups: usage and cost per period, provider, model and tenant; tenants against their caps.</summary>
public sealed class UsageQueries(SpendCaps caps)
{
    public async Task<IReadOnlyList<UsageRow>> UsageAsync(DbScope db, string granularity, DateOnly from, DateOnly to, CancellationToken ct)
    {
        // date_trunc's unit comes from a fixed list, never from the caller's text.
        var unit = granularity switch { "week" => "week", "month" => "month", _ => "day" };
        await using var command = db.Command($"""
            SELECT date_trunc('{unit}', u.day)::date AS period, u.tenant_id, t.slug, u.provider, u.model,
                   SUM(u.calls), SUM(u.failed_calls), SUM(u.refused_calls), SUM(u.input_tokens), SUM(u.cached_input_tokens),
                   SUM(u.output_tokens), SUM(u.cost_usd)
            FROM llm_usage_daily u JOIN tenants t ON t.id = u.tenant_id
            WHERE u.day BETWEEN @from AND @to AND (@all OR u.tenant_id = ANY(@tenants))
            GROUP BY 1, 2, 3, 4, 5
            ORDER BY 1, 3, 4, 5
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        db.AddTenantFilter(command.Parameters);
        return await command.ReadListAsync(
            r => new UsageRow(r.GetFieldValue<DateOnly>(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
                r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetDecimal(11)), ct);
    }

    public async Task<IReadOnlyList<TenantCapView>> CapsAsync(DbScope db, double minUtilization, CancellationToken ct) =>
        [.. (await caps.ListAsync(db, null, ct)).Where(s => s.Utilization >= minUtilization).OrderByDescending(s => s.Utilization).Select(s => s.View())];
}
