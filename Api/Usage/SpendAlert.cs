using System.Globalization;
using System.Text.Json;

namespace Api.Usage;

/// <summary>What a threshold crossing says, the same words in the audit entry, the notification and the mail.</summary>
public sealed class SpendAlert(TenantSpend spend, int threshold)
{
    /// <summary>The notification centre's alert name for spend-cap crossings (beside Alertmanager's alerts).</summary>
    public const string AlertName = "LlmSpendCap";

    public string Month { get; } = spend.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>One per tenant, month, threshold and budget: a raised cap announces its thresholds afresh.</summary>
    public string Fingerprint => $"llm-spend-cap:{spend.TenantId}:{Month}:{threshold}:{spend.BudgetUsd.ToString(CultureInfo.InvariantCulture)}";

    public string Severity => threshold >= 95 ? "critical" : "warning";

    public string Summary => threshold >= 100
        ? $"{spend.Slug}: the monthly LLM budget is spent"
        : $"{spend.Slug}: {threshold}% of the monthly LLM budget is spent";

    public string Description => threshold >= 100
        ? $"LLM spend for {Month} reached the budget of {Usd(spend.BudgetUsd)} ({BudgetSource}): {Usd(spend.SpentUsd)} spent. " +
          "New LLM work is refused until the month turns, the plan changes or a super admin raises the cap."
        : $"LLM spend for {Month} passed {threshold}% of the budget of {Usd(spend.BudgetUsd)} ({BudgetSource}): {Usd(spend.SpentUsd)} spent.";

    public string LabelsJson => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["alertname"] = AlertName,
        ["tenant"] = spend.Slug,
        ["threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
        ["month"] = Month,
    });

    public string MailBody =>
        $"""
        {Description}

        Tenant: {spend.Slug}
        Plan: {spend.Plan}
        Month: {Month} (UTC)
        Spent: {Usd(spend.SpentUsd)}
        Budget: {Usd(spend.BudgetUsd)} ({BudgetSource})

        The Dashboard's "Usage and cost" page shows where the cost went. You receive this mail because this address is the
        tenant's spend alert e-mail (tenant settings).
        """;

    /// <summary>Whose budget it is: the plan's, or raised for this month.</summary>
    public string BudgetSource => spend.Raised ? "raised for this month" : $"the {spend.Plan} plan's";

    private static string Usd(decimal amount) => Api.Contracts.Usd.Text(amount);
}
