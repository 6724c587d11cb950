using Microsoft.AspNetCore.Http.HttpResults;
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
        var month = spend.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var budget = spend.Raised ? "raised for this month" : $"the {spend.Plan} plan's";
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status402PaymentRequired,
            Type = Type,
            Title = "Monthly LLM budget spent",
            Detail = $"LLM spend of '{spend.Slug}' for {month} is {SpendAlert.Usd(spend.SpentUsd)} of its {SpendAlert.Usd(spend.BudgetUsd)} budget ({budget}): " +
                "new LLM work is refused until the month turns, the plan changes or a super admin raises the cap.",
            Extensions =
            {
                ["tenant"] = spend.Slug,
                ["month"] = month,
                ["spentUsd"] = spend.SpentUsd,
                ["budgetUsd"] = spend.BudgetUsd,
                ["raised"] = spend.Raised,
            },
        });
    }
}
