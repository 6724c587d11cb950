using System.ComponentModel.DataAnnotations;

namespace Api.Usage;

/// <summary>Each plan's monthly LLM budget (Plans:&lt;plan&gt;:MonthlyBudgetUsd).</summary>
public sealed class PlanBudgetOptions : IValidatableObject
{
    public const string SectionName = "Plans";

    public PlanBudget Free { get; set; } = new() { MonthlyBudgetUsd = 5m };

    public PlanBudget Pro { get; set; } = new() { MonthlyBudgetUsd = 50m };

    public PlanBudget Team { get; set; } = new() { MonthlyBudgetUsd = 200m };

    public decimal BudgetFor(string plan) => plan switch
    {
        "free" => Free.MonthlyBudgetUsd,
        "pro" => Pro.MonthlyBudgetUsd,
        "team" => Team.MonthlyBudgetUsd,
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan."),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, plan) in new[] { ("free", Free), ("pro", Pro), ("team", Team) })
        {
            if (plan is null || plan.MonthlyBudgetUsd <= 0)
            {
                yield return new ValidationResult($"Plans:{name}:MonthlyBudgetUsd must be more than zero.", [name]);
            }
        }
    }
}

public sealed class PlanBudget
{
    public decimal MonthlyBudgetUsd { get; set; }
}
