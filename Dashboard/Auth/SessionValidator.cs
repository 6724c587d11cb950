using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Dashboard.Auth;

internal static class SessionValidator
{
    /// <summary>A cookie whose server-side session is gone (sign-out elsewhere, restart) signs the browser out.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        if (store.Find(context.Principal?.FindFirst(DashboardClaims.SessionId)?.Value) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
