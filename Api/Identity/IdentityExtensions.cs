using System.Threading.RateLimiting;

namespace Api.Identity;

public static class IdentityExtensions
{
    /// <summary>Refresh tokens, sign-up, support assignments and the rate limit on every anonymous identity endpoint.</summary>
    public static void AddIdentitySessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RefreshTokenStore>();
        builder.Services.AddSingleton<SupportAssignments>();
        builder.Services.AddSingleton<SignUpStore>();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<SignInGuard>();
        builder.Services.AddValidatedOptions<SignInLockoutOptions>(SignInLockoutOptions.SectionName);
        builder.Services.AddValidatedOptions<ForwardedForOptions>(ForwardedForOptions.SectionName);
        builder.Services.AddValidatedOptions<AuthRateLimitOptions>(AuthRateLimitOptions.SectionName);
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IOptions<AuthRateLimitOptions>>((options, limits) =>
            // Per client address (the Dashboard's forwarded one only with its secret, see ForwardedFor) and endpoint:
            // enough for people, too few for password guessing; SignInGuard adds a per-account backoff.
            options.AddPolicy(AuthApi.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                $"{http.Connection.RemoteIpAddress}|{http.Request.Path}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.Value.PermitLimit, Window = limits.Value.Window, QueueLimit = 0 })));
    }
}
