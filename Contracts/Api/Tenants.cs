namespace Api.Contracts;

public sealed record Tenant(Guid Id, string Name, string Slug, string Plan, DateTimeOffset CreatedAt);

/// <summary>A tenant as the Dashboard lists it: plan, budget, size and when anyone in it last signed in.</summary>
public sealed record TenantSummary(Guid Id, string Name, string Slug, string Plan, decimal MonthlyBudgetUsd, TenantSettings Settings,
    int MemberCount, DateTimeOffset? LastSignInAt, DateTimeOffset CreatedAt);

/// <summary>The settings a tenant admin may change.</summary>
public sealed record TenantSettings(string? Timezone = null, bool StoreOutputPreviews = false, string? SpendAlertEmail = null);

public sealed record CreateTenantRequest(string? Name, string? Slug, string? Plan);

public sealed record ChangePlanRequest(string? Plan);

public static class Plans
{
    public static readonly string[] All = ["free", "pro", "team"];
}
