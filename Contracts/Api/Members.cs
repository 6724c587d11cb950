namespace Api.Contracts;

public sealed record InviteRequest(string? Email, string? DisplayName, string? Role);

/// <summary>The invitation token is shown once, here; the invitee accepts it at /api/auth/accept-invitation.</summary>
public sealed record Invitation(UserView Member, string InvitationToken, DateTimeOffset ExpiresAt);

public sealed record ChangeRoleRequest(string? Role);

public sealed record UserListItem(UserView User, string? TenantName, string? Plan);
