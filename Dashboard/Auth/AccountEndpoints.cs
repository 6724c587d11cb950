using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Auth;

/// <summary>Sign-in, accepting an invitation and sign-out are plain form posts: the cookie is set on a real HTTP response.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/sign-in", SignInAsync);
        account.MapPost("/accept-invitation", AcceptInvitationAsync);
        account.MapPost("/sign-out", SignOutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        IdentityClient identity, TokenValidator validator, SessionStore store, TimeProvider clock)
    {
        var back = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return Results.LocalRedirect($"/sign-in?error=missing&returnUrl={Uri.EscapeDataString(back)}");
        }

        TokenResponse? tokens;
        try
        {
            tokens = await identity.SignInAsync(email, password, http.Connection.RemoteIpAddress?.ToString(),
                http.Request.Headers.UserAgent.ToString(), http.RequestAborted);
        }
        catch (SignInThrottledException)
        {
            return Results.LocalRedirect($"/sign-in?error=throttled&returnUrl={Uri.EscapeDataString(back)}");
        }

        return tokens is not null && await StartSessionAsync(http, tokens, validator, store, clock)
            ? Results.LocalRedirect(back)
            : Results.LocalRedirect($"/sign-in?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
    }

    /// <summary>An invited member sets their password with the code they were given, and is signed in.</summary>
    private static async Task<IResult> AcceptInvitationAsync(
        HttpContext http, [FromForm] string? code, [FromForm] string? password, [FromForm] string? repeat,
        IdentityClient identity, TokenValidator validator, SessionStore store, TimeProvider clock)
    {
        var error = string.IsNullOrWhiteSpace(code) || string.IsNullOrEmpty(password) ? "missing"
            : password != repeat ? "mismatch"
            : password.Length is < PasswordRules.MinLength or > PasswordRules.MaxLength ? "password"
            : null;
        if (error is null)
        {
            try
            {
                var tokens = await identity.AcceptInvitationAsync(code!.Trim(), password!, http.RequestAborted);
                error = await StartSessionAsync(http, tokens, validator, store, clock) ? null : "invalid";
            }
            catch (SignInThrottledException)
            {
                error = "throttled";
            }
            catch (ApiException)
            {
                // The Api answers the same for an unknown, expired or used code.
                error = "invalid";
            }
        }

        return Results.LocalRedirect(error is null ? "/" : $"/accept-invitation?error={error}");
    }

    private static async Task<bool> StartSessionAsync(HttpContext http, TokenResponse tokens, TokenValidator validator, SessionStore store, TimeProvider clock)
    {
        if (await validator.ValidateAsync(tokens.AccessToken, http.RequestAborted) is not { } user)
        {
            return false;
        }

        var session = new DashboardSession(SessionStore.NewId(), tokens.AccessToken, tokens.RefreshToken,
            clock.GetUtcNow().AddSeconds(tokens.ExpiresIn), user);
        store.Save(session);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, DashboardClaims.ToPrincipal(session));
        return true;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, SessionStore store, IdentityClient identity)
    {
        var id = http.User.FindFirst(DashboardClaims.SessionId)?.Value;
        if (store.Find(id) is { } session)
        {
            try
            {
                await identity.SignOutAsync(session.AccessToken, session.RefreshToken, http.RequestAborted);
            }
            catch (HttpRequestException)
            {
                // The local sign-out still happens; the refresh token then expires on its own.
            }
        }

        store.Remove(id);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("/sign-in");
    }

    private static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";
}
