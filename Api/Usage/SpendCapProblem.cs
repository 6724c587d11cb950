using Microsoft.AspNetCore.Mvc;

namespace Api.Usage;

/// <summary>
/// The answer to a request that would start LLM work for a tenant whose budget is spent: refused up front rather than
/// accepted and dead-lettered at its first stage. 402 Payment Required, not 429 or 409: waiting and retrying does not
/// help (the resilience handlers of our clients retry 429s), and nothing about the resource itself conflicts; what is
/// missing is budget, until the month turns, the plan changes or a super admin raises the cap.
/// </summary>
public static class SpendCapProblem
{
    public const string Type = "urn:aspire-observability:problem:spend-cap-reached";

    public static ProblemHttpResult For(TenantSpend spend)
    {
        var alert = new SpendAlert(spend, 100);
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status402PaymentRequired,
            Type = Type,
            Title = "Monthly LLM budget spent",
            Detail = $"LLM spend of '{spend.Slug}' for {alert.Month} is {Usd.Text(spend.SpentUsd)} of its {Usd.Text(spend.BudgetUsd)} budget ({alert.BudgetSource}): " +
                "new LLM work is refused until the month turns, the plan changes or a super admin raises the cap.",
            Extensions =
            {
                ["tenant"] = spend.Slug,
                ["month"] = alert.Month,
                ["spentUsd"] = spend.SpentUsd,
                ["budgetUsd"] = spend.BudgetUsd,
                ["raised"] = spend.Raised,
            },
        });
    }
}
