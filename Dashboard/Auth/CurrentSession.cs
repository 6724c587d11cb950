using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Auth;

/// <summary>
/// The session of the user of this circuit or request, with a fresh access token: one that is about to
/// expire is renewed with the refresh token first.
/// </summary>
public sealed class CurrentSession(
    AuthenticationStateProvider authentication, IHttpContextAccessor http, SessionStore store, IdentityClient identity, TimeProvider clock)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    public async Task<DashboardSession?> GetAsync(CancellationToken ct = default)
    {
        var session = store.Find((await UserAsync()).FindFirst(DashboardClaims.SessionId)?.Value);
        if (session is null || session.AccessTokenExpiresAt - clock.GetUtcNow() > RenewBefore || session.RefreshToken is null)
        {
            return session;
        }

        var renewed = await identity.RefreshAsync(session.RefreshToken, ct);
        if (renewed is null)
        {
            return session;
        }

        session = session with
        {
            AccessToken = renewed.AccessToken,
            RefreshToken = renewed.RefreshToken ?? session.RefreshToken,
            AccessTokenExpiresAt = clock.GetUtcNow().AddSeconds(renewed.ExpiresIn),
        };
        store.Save(session);
        return session;
    }

    public async Task<UserIdentity?> UserAsync(CancellationToken ct = default) => (await GetAsync(ct))?.User;

    // Components (prerendered or interactive) ask the authentication state; plain endpoints such as the
    // export download have only their HttpContext.
    private async Task<System.Security.Claims.ClaimsPrincipal> UserAsync()
    {
        if (http.HttpContext is { } context && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null
            && !context.Request.Path.StartsWithSegments("/_blazor"))
        {
            return context.User;
        }

        return (await authentication.GetAuthenticationStateAsync()).User;
    }
}
