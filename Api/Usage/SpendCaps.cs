using System.Collections.Concurrent;
using Api.Data;
using Audit.Client;
using Microsoft.Extensions.Options;

namespace Api.Usage;

/// <summary>
/// Monthly spend against the plan's budget: answers whether a tenant may still call, and announces each
/// threshold (80, 95, 100 %) once per month with a warning audit entry and a metric.
/// </summary>
public sealed class SpendCaps(IOptionsMonitor<Tenants.PlansOptions> plans, IAuditLog audit, UsageMetrics metrics, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, TenantSpend> _latest = new();

    /// <summary>The last spend seen per tenant, for the budget gauges.</summary>
    public IEnumerable<TenantSpend> Latest => _latest.Values;

    public DateOnly MonthStart => MonthOf(clock.GetUtcNow());

    public static DateOnly MonthOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1);

    public async Task<TenantSpend> GetAsync(DbScope db, Guid tenantId, CancellationToken ct)
    {
        await using var command = db.Command("""
            SELECT t.slug, t.plan, COALESCE(SUM(u.cost_usd), 0)
            FROM tenants t LEFT JOIN llm_usage_daily u ON u.tenant_id = t.id AND u.day >= @month
            WHERE t.id = @tenant
            GROUP BY t.slug, t.plan
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("month", MonthStart);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
        }

        var plan = reader.GetString(1);
        var spend = new TenantSpend(tenantId, reader.GetString(0), plan, plans.CurrentValue.MonthlyBudgetUsd(plan), reader.GetDecimal(2));
        _latest[tenantId] = spend;
        metrics.TrackTenant(spend.Slug);
        return spend;
    }

    /// <summary>Records the thresholds this spend has reached that were not yet announced this month.</summary>
    public async Task AnnounceCrossingsAsync(DbScope db, TenantSpend spend, CancellationToken ct)
    {
        foreach (var threshold in TenantSpend.Thresholds.Where(t => spend.SpentUsd * 100 >= t * spend.BudgetUsd))
        {
            await using var command = db.Command(
                "INSERT INTO spend_cap_crossings (tenant_id, month, threshold) VALUES (@tenant, @month, @threshold) ON CONFLICT DO NOTHING");
            command.Parameters.AddWithValue("tenant", spend.TenantId);
            command.Parameters.AddWithValue("month", MonthStart);
            command.Parameters.AddWithValue("threshold", threshold);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                continue;
            }

            metrics.CapCrossed(spend.Slug, threshold);
            audit.Record(new AuditRecord
            {
                Action = threshold >= 100 ? "llm.spend_cap.reached" : "llm.spend_cap.warning",
                Severity = "warning",
                TenantId = spend.TenantId,
                Actor = AuditActor.System("spend-caps"),
                ResourceType = "tenant",
                ResourceId = spend.TenantId.ToString(),
                ResourceName = spend.Slug,
                Description = threshold >= 100
                    ? $"LLM spend reached the {spend.Plan} plan's monthly budget of ${spend.BudgetUsd:0.00}: further calls are refused until the month turns or the plan changes"
                    : $"LLM spend passed {threshold}% of the {spend.Plan} plan's monthly budget (${spend.SpentUsd:0.0000} of ${spend.BudgetUsd:0.00})",
                Metadata = new { threshold, spentUsd = spend.SpentUsd, budgetUsd = spend.BudgetUsd, plan = spend.Plan, month = MonthStart.ToString("yyyy-MM") },
            });
        }
    }
}
