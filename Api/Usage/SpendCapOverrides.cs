namespace Api.Usage;

/// <summary>A super admin's raise of one tenant's cap for one month (spend_cap_overrides).</summary>
public sealed class SpendCapOverrides
{
    /// <summary>
    /// Sets the month's budget and, in the same statement, re-arms the thresholds the new budget puts out of reach again
    /// (they are announced afresh when spend reaches them against this budget).
    /// </summary>
    public async Task SetAsync(DbScope db, TenantSpend before, decimal budgetUsd, Guid raisedBy, string reason, CancellationToken ct)
    {
        await using var command = db.Command("""
            WITH raised AS (
                INSERT INTO spend_cap_overrides (tenant_id, month, budget_usd, raised_by, reason) VALUES (@tenant, @month, @budget, @by, @reason)
                ON CONFLICT (tenant_id, month) DO UPDATE SET budget_usd = EXCLUDED.budget_usd, raised_by = EXCLUDED.raised_by,
                    reason = EXCLUDED.reason, raised_at = now())
            DELETE FROM spend_cap_crossings WHERE tenant_id = @tenant AND month = @month AND threshold * @budget > @spent * 100
            """);
        command.Parameters.AddWithValue("tenant", before.TenantId);
        command.Parameters.AddWithValue("month", before.Month);
        command.Parameters.AddWithValue("budget", budgetUsd);
        command.Parameters.AddWithValue("by", raisedBy);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("spent", before.SpentUsd);
        await command.ExecuteNonQueryAsync(ct);
    }
}
