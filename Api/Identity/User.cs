namespace Api.Identity;

public sealed record User(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, Guid? TenantId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt = null, bool InvitationPending = false)
{
    /// <summary>The user as the API shows it: never with the password hash.</summary>
    public UserView ToView() => new(Id, Email, DisplayName, Role, TenantId, CreatedAt, LastSignInAt, InvitationPending);
}
