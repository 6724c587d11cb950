namespace Api.Identity;

/// <summary>Tenants and users created on first start when absent (the AppHost passes generated passwords).</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    public List<SeedTenant> Tenants { get; set; } = [];

    public List<SeedUser> Users { get; set; } = [];
}

public sealed class SeedTenant
{
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Plan { get; set; } = "free";
}

public sealed class SeedUser
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Role { get; set; } = Roles.Member;
    /// <summary>The slug of the tenant a tenant admin or member belongs to (created if absent).</summary>
    public string? Tenant { get; set; }
    /// <summary>For support users: the slugs of the tenants they are assigned to.</summary>
    public List<string> SupportTenants { get; set; } = [];
}
