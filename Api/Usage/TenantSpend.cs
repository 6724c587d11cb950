namespace Api.Usage;

/// <summary>
/// A tenant's LLM spend this calendar month (UTC) against its budget: the plan's, or a super admin's raise for this
/// month (<paramref name="Raised"/>).
/// </summary>
public sealed record TenantSpend(Guid TenantId, string Slug, string Plan, decimal BudgetUsd, decimal SpentUsd, DateOnly Month, bool Raised = false)
{
    public static readonly int[] Thresholds = [80, 95, 100];

    public double Utilization => BudgetUsd <= 0 ? 1 : (double)(SpentUsd / BudgetUsd);

    public bool IsOverCap => SpentUsd >= BudgetUsd;

    public string Status => Utilization switch
    {
        >= 1 => "over_cap",
        >= 0.95 => "critical",
        >= 0.8 => "warning",
        _ => "ok",
    };

    public TenantCapView View() => new(TenantId, Slug, Plan, BudgetUsd, SpentUsd, Utilization, Status, Month.ToString("yyyy-MM"), Raised);
}
