namespace Api.Identity;

public sealed record User(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, Guid? TenantId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt = null, bool InvitationPending = false, DateTimeOffset? LockedUntil = null);

/// <summary>A user as the API shows it: never with the password hash.</summary>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt, bool InvitationPending, DateTimeOffset? LockedUntil = null)
{
    public static UserView From(User u) => new(u.Id, u.Email, u.DisplayName, u.Role, u.TenantId, u.CreatedAt, u.LastSignInAt, u.InvitationPending, u.LockedUntil);
}
