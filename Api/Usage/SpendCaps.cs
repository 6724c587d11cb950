using System.Collections.Concurrent;

namespace Api.Usage;

/// <summary>
/// Monthly spend against the budget (the plan's, or this month's raise): answers whether a tenant may still call, and
/// announces each threshold (80, 95, 100 %) once per month and budget with a warning audit entry, a metric, an in-app
/// notification for the tenant's admins and, when the tenant set spendAlertEmail, a mail in the outbox.
/// </summary>
public sealed class SpendCaps(IOptionsMonitor<Tenants.PlansOptions> plans, IAuditLog audit, UsageMetrics metrics, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, TenantSpend> _latest = new();

    /// <summary>The last spend seen per tenant this month, for the budget gauges (<see cref="SpendGauges"/> keeps it fresh).</summary>
    public IEnumerable<TenantSpend> Latest => _latest.Values.Where(s => s.Month == MonthStart);

    public DateOnly MonthStart => MonthOf(clock.GetUtcNow());

    public static DateOnly MonthOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1);

    public decimal PlanBudgetUsd(string plan) => plans.CurrentValue.MonthlyBudgetUsd(plan);

    public async Task<TenantSpend> GetAsync(DbScope db, Guid tenantId, CancellationToken ct) =>
        (await ListAsync(db, tenantId, ct)).SingleOrDefault() ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");

    /// <summary>Every tenant in the unit's scope (or the one named) with this month's spend and budget.</summary>
    public async Task<IReadOnlyList<TenantSpend>> ListAsync(DbScope db, Guid? tenantId, CancellationToken ct)
    {
        var month = MonthStart;
        await using var command = db.Command("""
            SELECT t.id, t.slug, t.plan, o.budget_usd,
                   COALESCE((SELECT SUM(u.cost_usd) FROM llm_usage_daily u WHERE u.tenant_id = t.id AND u.day >= @month), 0)
            FROM tenants t LEFT JOIN spend_cap_overrides o ON o.tenant_id = t.id AND o.month = @month
            WHERE (@tenant::uuid IS NULL OR t.id = @tenant) AND (@all OR t.id = ANY(@tenants))
            """);
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("month", month);
        db.AddTenantFilter(command.Parameters);
        var list = new List<TenantSpend>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var plan = r.GetString(2);
            var raised = !r.IsDBNull(3);
            var spend = new TenantSpend(r.GetGuid(0), r.GetString(1), plan, raised ? r.GetDecimal(3) : PlanBudgetUsd(plan), r.GetDecimal(4), month, raised);
            _latest[spend.TenantId] = spend;
            metrics.TrackTenant(spend.Slug);
            list.Add(spend);
        }

        return list;
    }

    /// <summary>
    /// Records the thresholds this spend has reached that were not yet announced this month. Each crossing, its notification
    /// and its mail are one statement: all are written or none, and a crossing is never announced twice.
    /// </summary>
    public async Task AnnounceCrossingsAsync(DbScope db, TenantSpend spend, CancellationToken ct)
    {
        foreach (var threshold in TenantSpend.Thresholds.Where(t => spend.SpentUsd * 100 >= t * spend.BudgetUsd))
        {
            var alert = new SpendAlert(spend, threshold);
            await using var command = db.Command("""
                WITH crossing AS (
                    INSERT INTO spend_cap_crossings (tenant_id, month, threshold) VALUES (@tenant, @month, @threshold)
                    ON CONFLICT DO NOTHING RETURNING tenant_id),
                note AS (
                    INSERT INTO notifications (id, tenant_id, alert_name, fingerprint, status, severity, summary, description, labels, starts_at)
                    SELECT @note, tenant_id, @name, @fingerprint, 'firing', @severity, @summary, @description, @labels::jsonb, now() FROM crossing
                    ON CONFLICT (fingerprint, status, starts_at) DO NOTHING),
                mail AS (
                    INSERT INTO mail_outbox (id, tenant_id, to_address, subject, body)
                    SELECT @mail, t.id, t.settings->>'spendAlertEmail', @subject, @body
                    FROM crossing c JOIN tenants t ON t.id = c.tenant_id
                    WHERE COALESCE(t.settings->>'spendAlertEmail', '') <> '')
                SELECT count(*) FROM crossing
                """);
            command.Parameters.AddWithValue("tenant", spend.TenantId);
            command.Parameters.AddWithValue("month", spend.Month);
            command.Parameters.AddWithValue("threshold", threshold);
            command.Parameters.AddWithValue("note", Guid.CreateVersion7());
            command.Parameters.AddWithValue("name", SpendAlert.AlertName);
            command.Parameters.AddWithValue("fingerprint", alert.Fingerprint);
            command.Parameters.AddWithValue("severity", alert.Severity);
            command.Parameters.AddWithValue("summary", alert.Summary);
            command.Parameters.AddWithValue("description", alert.Description);
            command.Parameters.AddWithValue("labels", alert.LabelsJson);
            command.Parameters.AddWithValue("mail", Guid.CreateVersion7());
            command.Parameters.AddWithValue("subject", alert.Summary);
            command.Parameters.AddWithValue("body", alert.MailBody);
            if ((long)(await command.ExecuteScalarAsync(ct))! == 0)
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
                Description = alert.Description,
                Metadata = new { threshold, spentUsd = spend.SpentUsd, budgetUsd = spend.BudgetUsd, plan = spend.Plan, raised = spend.Raised, month = alert.Month },
            });
        }
    }
}
