namespace Api.Llm;

/// <summary>Who a call is made for: a tenant, and either a user or an agent role working on an activity.</summary>
public sealed record LlmCaller(Guid TenantId, string ActorType, string Actor, Guid? ActivityId = null, string? Stage = null)
{
    public static LlmCaller Agent(Guid tenantId, string role, Guid activityId, string stage) => new(tenantId, "agent", role, activityId, stage);

    public static LlmCaller User(Guid tenantId, string userId) => new(tenantId, "user", userId);

    /// <summary>The gen_ai.agent.name attribute: the agent's role, or "user" for calls a person made.</summary>
    public string RoleLabel => ActorType == "agent" ? Actor : "user";
}

/// <summary>One call as stored in llm_calls.</summary>
public sealed record LlmCallRecord(
    Guid Id,
    LlmCaller Caller,
    string Provider,
    string Model,
    TokenUsage Tokens,
    decimal CostUsd,
    double LatencyMs,
    string Outcome,
    string? Error,
    string InputSha256,
    string? OutputPreview,
    string? TraceId,
    DateTimeOffset CreatedAt);

/// <summary>The answer of a metered call.</summary>
public sealed record LlmResult(Guid CallId, string Text, TokenUsage Tokens, decimal CostUsd, double LatencyMs, string Model);

/// <summary>The tenant's monthly budget is spent: the call was not made.</summary>
public sealed class SpendCapExceededException(string message) : Exception(message);
