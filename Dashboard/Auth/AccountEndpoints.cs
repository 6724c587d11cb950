using Dashboard.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Auth;

/// <summary>Sign-in and sign-out are plain form posts: the cookie is set on a real HTTP response.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/sign-in", SignInAsync);
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

        var user = tokens is null ? null : await validator.ValidateAsync(tokens.AccessToken, http.RequestAborted);
        if (tokens is null || user is null)
        {
            return Results.LocalRedirect($"/sign-in?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
        }

        var session = new DashboardSession(SessionStore.NewId(), tokens.AccessToken, tokens.RefreshToken,
            clock.GetUtcNow().AddSeconds(tokens.ExpiresIn), user);
        store.Save(session);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, DashboardClaims.ToPrincipal(session));
        return Results.LocalRedirect(back);
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
