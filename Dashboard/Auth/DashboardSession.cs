namespace Dashboard.Auth;

/// <summary>A signed-in user's server-side session: the Api's tokens and who the user is.</summary>
public sealed record DashboardSession(
    string Id,
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset AccessTokenExpiresAt,
    UserIdentity User);

public sealed record UserIdentity(Guid Id, string Email, string Name, string Role, Guid? TenantId, IReadOnlyList<Guid> SupportTenants)
{
    public bool IsSuperAdmin => Role == Roles.SuperAdmin;
    public bool IsTenantAdmin => Role == Roles.TenantAdmin;
    public bool IsSupport => Role == Roles.Support;
    public bool IsMember => Role == Roles.Member;

    /// <summary>Roles that look across tenants see a tenant column and filter.</summary>
    public bool SeesManyTenants => IsSuperAdmin || IsSupport;
}
