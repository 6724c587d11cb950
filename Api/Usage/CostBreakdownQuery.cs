namespace Api.Usage;

/// <summary>
/// Where the cost went, from the call records in the unit's scope: per agent role ("user" for calls a person made) and per
/// route, the kind of activity the call worked on ("direct" for a call outside any activity). One pass (grouping sets).
/// </summary>
public sealed class CostBreakdownQuery
{
    public const string Direct = "direct";

    public async Task<CostBreakdown> GetAsync(DbScope db, int days, DateTimeOffset since, CancellationToken ct)
    {
        await using var command = db.Command("""
            SELECT GROUPING(role) = 0, COALESCE(role, route), count(*), COALESCE(SUM(cost_usd), 0)
            FROM (SELECT CASE WHEN c.actor_type = 'agent' THEN c.actor ELSE 'user' END AS role, COALESCE(a.kind, @direct) AS route, c.cost_usd
                  FROM llm_calls c LEFT JOIN activities a ON a.id = c.activity_id
                  WHERE c.created_at >= @since AND (@all OR c.tenant_id = ANY(@tenants))) x
            GROUP BY GROUPING SETS ((role), (route))
            ORDER BY 4 DESC, 2
            """);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("direct", Direct);
        db.AddTenantFilter(command.Parameters);
        var (roles, routes) = (new List<CostShare>(), new List<CostShare>());
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            (r.GetBoolean(0) ? roles : routes).Add(new CostShare(r.GetString(1), r.GetInt64(2), r.GetDecimal(3)));
        }

        return new CostBreakdown(days, roles, routes);
    }
}
