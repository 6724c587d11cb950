namespace Api.Contracts;

/// <summary>The roles the Api's tokens carry; AuditService and the Dashboard read them from the same tokens.</summary>
public static class Roles
{
    public const string SuperAdmin = "super_admin";
    public const string TenantAdmin = "tenant_admin";
    public const string Member = "member";
    public const string Support = "support";

    public static readonly string[] All = [SuperAdmin, TenantAdmin, Member, Support];

    /// <summary>The roles a user inside a tenant can hold.</summary>
    public static readonly string[] TenantRoles = [TenantAdmin, Member];
}

/// <summary>Who issues the Api's access tokens and for whom: the Api signs them so, AuditService and the Dashboard check them so.</summary>
public static class ApiTokens
{
    public const string Issuer = "aspire-observability-api";
    public const string Audience = "aspire-observability";
}

/// <summary>The claim names of the Api's tokens.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";
    public const string Tenant = "tenant_id";

    /// <summary>One claim per tenant a support user is assigned to.</summary>
    public const string SupportTenants = "support_tenants";
}

/// <summary>What the Api accepts as a new password (sign-up, accepting an invitation); the Dashboard's forms say the same.</summary>
public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 1024;
}

/// <summary>
/// The headers with which the Dashboard, signing people in from its server, passes on the browser's address: the Api
/// trusts the address only beside the secret it shares with the Dashboard.
/// </summary>
public static class ForwardedForHeaders
{
    public const string Address = "X-Forwarded-For";
    public const string Secret = "X-Proxy-Secret";
}

public sealed record SignInRequest(string? Email, string? Password);

public sealed record SignUpRequest(string? Email, string? Password, string? DisplayName, string? TenantName);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record AcceptInvitationRequest(string? Token, string? Password);

/// <summary>What sign-in, sign-up, refresh and accepting an invitation answer.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, UserView User);

/// <summary>A user as the API shows it: never with the password hash. LockedUntil: a sign-in lockout in force until then.</summary>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt, bool InvitationPending, DateTimeOffset? LockedUntil = null);
