namespace Api.Identity;

/// <summary>
/// Starts a session for a user: an access token with their current claims and a new refresh token. Part of signing in,
/// so it runs in the platform scope the identity endpoints open (super admins and support staff have no tenant).
/// </summary>
public sealed class Sessions(TokenService tokens, RefreshTokenStore refreshTokens, SupportAssignments support, UserStore users, TimeProvider clock)
{
    public async Task<TokenResponse> StartAsync(DbScope db, User user, CancellationToken ct) =>
        await ContinueAsync(db, user, await refreshTokens.IssueAsync(db, user.Id, ct), ct);

    public async Task<TokenResponse> ContinueAsync(DbScope db, User user, string refreshToken, CancellationToken ct)
    {
        var assigned = user.Role == Roles.Support ? await support.TenantsOfAsync(db, user.Id, ct) : null;
        var access = tokens.Issue(user, assigned);
        await users.MarkSignedInAsync(db, user.Id, ct);
        return new TokenResponse(access.Token, "Bearer", (int)(access.ExpiresAt - clock.GetUtcNow()).TotalSeconds, refreshToken,
            (user with { LastSignInAt = clock.GetUtcNow() }).ToView());
    }
}
