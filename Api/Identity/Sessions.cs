namespace Api.Identity;

/// <summary>Starts a session for a user: an access token with their current claims and a new refresh token.</summary>
public sealed class Sessions(TokenService tokens, RefreshTokenStore refreshTokens, SupportAssignments support, UserStore users, TimeProvider clock)
{
    public async Task<TokenResponse> StartAsync(User user, CancellationToken ct) =>
        await ContinueAsync(user, await refreshTokens.IssueAsync(user.Id, ct), ct);

    public async Task<TokenResponse> ContinueAsync(User user, string refreshToken, CancellationToken ct)
    {
        var assigned = user.Role == Roles.Support ? await support.TenantsOfAsync(user.Id, ct) : null;
        var access = tokens.Issue(user, assigned);
        await users.MarkSignedInAsync(user.Id, ct);
        return new TokenResponse(access.Token, "Bearer", (int)(access.ExpiresAt - clock.GetUtcNow()).TotalSeconds, refreshToken,
            (user with { LastSignInAt = clock.GetUtcNow() }).ToView());
    }
}
