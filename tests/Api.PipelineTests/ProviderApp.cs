
namespace Api.PipelineTests;

/// <summary>The Api calling the OpenAI-compatible test double; the pro plan's budget is one cent so caps are reachable.</summary>
public sealed class ProviderApp(PipelineAuditService audit) : PipelineApp(audit)
{
    protected override bool UseProviderTestDouble => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Plans:pro:MonthlyBudgetUsd"] = "0.01",
        ["Pipeline:WorkerCount"] = "2",
        ["Llm:StoreOutputPreview"] = "true",
    };
}

/// <summary>The Api calling the OpenAI-compatible test double with default budgets.</summary>
public sealed class TestDoubleApp(PipelineAuditService audit) : PipelineApp(audit)
{
    protected override bool UseProviderTestDouble => true;
}

/// <summary>The Api with a short lease, for the crashed-worker test.</summary>
public sealed class ShortLeaseApp(PipelineAuditService audit) : PipelineApp(audit)
{
    protected override bool UseProviderTestDouble => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Pipeline:Lease"] = "00:00:03",
        ["Pipeline:WorkerCount"] = "2",
    };
}

/// <summary>The Api calling the OpenAI-compatible test double; the free plan's budget is one cent, so a signed-up tenant reaches its cap.</summary>
public sealed class SpendCapApp(PipelineAuditService audit) : PipelineApp(audit)
{
    protected override bool UseProviderTestDouble => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Plans:free:MonthlyBudgetUsd"] = "0.01",
        ["Llm:SpendGaugeInterval"] = "00:00:01",
    };
}
