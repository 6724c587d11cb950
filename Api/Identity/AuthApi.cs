using Audit.Client;
using Audit.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Api.Identity;

public static class AuthApi
{
    public const string SignInRateLimit = "sign-in";

    public sealed record SignInRequest(string? Email, string? Password);

    public sealed record SignInResponse(string AccessToken, string TokenType, int ExpiresIn, UserView User);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Identity");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").WithSummary("Exchanges email and password for an access token.")
            .RequireRateLimiting(SignInRateLimit);
        auth.MapGet("/me", MeAsync).WithName("Me").WithSummary("The signed-in user.").RequireAuthorization();

        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => TypedResults.Json(keys.PublicKeySet()))
            .WithName("Jwks").WithSummary("The public keys that verify access tokens.").WithTags("Identity");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, UserStore users, TokenService tokens, IPasswordHasher<User> hasher, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 320)
        {
            errors["email"] = ["is required."];
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024)
        {
            errors["password"] = ["is required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = await users.FindByEmailAsync(request.Email!, ct);
        var verdict = user is null ? PasswordVerificationResult.Failed : hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            audit.Record(new AuditRecord
            {
                Action = "user.login_failed",
                Severity = "warning",
                TenantId = user?.TenantId ?? AuditTenants.Platform,
                Actor = new AuditActor("human", user?.Id.ToString() ?? request.Email!, user?.DisplayName, request.Email),
                ResourceType = "user",
                ResourceId = user?.Id.ToString(),
                Description = $"Failed sign-in for {request.Email}",
            });
            // The same answer whether the email exists or not.
            return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "The email or password is wrong.");
        }

        var token = tokens.Issue(user!);
        audit.Record(new AuditRecord
        {
            Action = "user.signed_in",
            TenantId = user!.TenantId ?? AuditTenants.Platform,
            Actor = new AuditActor("human", user.Id.ToString(), user.DisplayName, user.Email),
            ResourceType = "user",
            ResourceId = user.Id.ToString(),
            ResourceName = user.Email,
            Description = $"{user.DisplayName} signed in",
        });
        return TypedResults.Ok(new SignInResponse(token.Token, "Bearer",
            (int)(token.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds, UserView.From(user)));
    }

    public static async Task<Results<Ok<UserView>, NotFound>> MeAsync(System.Security.Claims.ClaimsPrincipal principal, UserStore users, CancellationToken ct) =>
        Guid.TryParse(principal.FindFirst(ClaimNames.Subject)?.Value, out var id) && await users.FindAsync(id, ct) is { } user
            ? TypedResults.Ok(UserView.From(user))
            : TypedResults.NotFound();
}
