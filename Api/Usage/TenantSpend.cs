namespace Api.Usage;

/// <summary>A tenant's LLM spend this calendar month (UTC) against its plan's budget.</summary>
public sealed record TenantSpend(Guid TenantId, string Slug, string Plan, decimal BudgetUsd, decimal SpentUsd)
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
}
