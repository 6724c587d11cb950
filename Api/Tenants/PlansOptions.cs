namespace Api.Tenants;

/// <summary>The plans and their monthly LLM budget in USD (Plans:free:MonthlyBudgetUsd, ...), checked at start-up.</summary>
public sealed class PlansOptions
{
    public const string SectionName = "Plans";

    public PlanLimits Free { get; set; } = new();
    public PlanLimits Pro { get; set; } = new();
    public PlanLimits Team { get; set; } = new();

    public decimal MonthlyBudgetUsd(string plan) => plan switch
    {
        "free" => Free.MonthlyBudgetUsd,
        "pro" => Pro.MonthlyBudgetUsd,
        "team" => Team.MonthlyBudgetUsd,
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan."),
    };

    public bool IsValid() => new[] { Free, Pro, Team }.All(p => p.MonthlyBudgetUsd > 0 && p.MonthlyBudgetUsd <= 1_000_000);
}

public sealed class PlanLimits
{
    public decimal MonthlyBudgetUsd { get; set; }
}
