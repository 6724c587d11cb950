namespace Api.Tenants;

public sealed record Tenant(Guid Id, string Name, string Slug, string Plan, DateTimeOffset CreatedAt);

public static class Plans
{
    public static readonly string[] All = ["free", "pro", "team"];
}
