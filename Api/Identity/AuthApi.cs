using Api.Tenants;
using Microsoft.AspNetCore.Identity;

namespace Api.Identity;

public static class AuthApi
{
    public const string SignInRateLimit = "auth";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Identity");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").WithSummary("Exchanges email and password for an access and a refresh token.")
            .RequireRateLimiting(SignInRateLimit);
        auth.MapPost("/sign-up", SignUpAsync).WithName("SignUp").WithSummary("Creates a tenant on the free plan with the caller as its admin.")
            .RequireRateLimiting(SignInRateLimit);
        auth.MapPost("/refresh", RefreshAsync).WithName("Refresh").WithSummary("Exchanges a refresh token for new tokens; the old refresh token stops working.")
            .RequireRateLimiting(SignInRateLimit);
        auth.MapPost("/sign-out", SignOutAsync).WithName("SignOut").WithSummary("Revokes the refresh token (and every token it was rotated from).")
            .RequireRateLimiting(SignInRateLimit);
        auth.MapPost("/accept-invitation", AcceptInvitationAsync).WithName("AcceptInvitation")
            .WithSummary("Sets the invited member's password and signs them in.").RequireRateLimiting(SignInRateLimit);
        auth.MapGet("/me", MeAsync).WithName("Me").WithSummary("The signed-in user.").RequireAuthorization();

        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => TypedResults.Json(keys.PublicKeySet()))
            .WithName("Jwks").WithSummary("The public keys that verify access tokens.").WithTags("Identity");
        return app;
    }

    // Every identity endpoint works in the platform scope: the tenant is not known before the user is found, and super
    // admins and support staff have none.

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, AppDb appDb, SignInGuard guard, Sessions sessions, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.Required(request.Email, "email", 320, errors);
        FieldRules.Required(request.Password, "password", 1024, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        if (await guard.SignInAsync(db, request.Email!, request.Password!, ct) is not { } user)
        {
            // The same answer whether the email exists, the password was right on a locked account, or neither.
            return TypedResults.Problem(statusCode: 401, title: "Sign-in failed",
                detail: "The email or password is wrong, or too many failed attempts have locked the account for a while.");
        }

        var session = await sessions.StartAsync(db, user, ct);
        audit.RecordUser("user.signed_in", user, $"{user.DisplayName} signed in");
        return TypedResults.Ok(session);
    }

    public static async Task<Results<Created<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, AppDb appDb, SignUpStore store, Sessions sessions, IPasswordHasher<User> hasher, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.Email(request.Email, errors);
        FieldRules.NewPassword(request.Password, errors);
        FieldRules.Required(request.DisplayName, "displayName", 100, errors);
        FieldRules.Required(request.TenantName, "tenantName", 100, errors);
        var slug = Slug.From(request.TenantName ?? "");
        if (!errors.ContainsKey("tenantName") && !Slug.IsValid(slug))
        {
            errors["tenantName"] = ["must contain at least two letters or digits."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = new User(Guid.CreateVersion7(), request.Email!.Trim(), request.DisplayName!.Trim(), "", Roles.TenantAdmin, null, DateTimeOffset.UtcNow);
        user = user with { PasswordHash = hasher.HashPassword(user, request.Password!) };
        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        var (conflict, tenant) = await store.CreateAsync(db, request.TenantName!.Trim(), slug, user, ct);
        if (conflict != SignUpConflict.None)
        {
            var field = conflict == SignUpConflict.Email ? "email" : "tenantName";
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 409,
                Title = conflict == SignUpConflict.Email ? "Email taken" : "Tenant name taken",
                Detail = $"{field}: {(conflict == SignUpConflict.Email ? "an account with this email already exists." : $"a tenant '{slug}' already exists.")}",
                Extensions = { ["field"] = field },
            });
        }

        user = user with { TenantId = tenant!.Id };
        var session = await sessions.StartAsync(db, user, ct);
        audit.RecordUser("user.signed_up", user, $"{user.DisplayName} signed up with tenant '{tenant.Name}' on the free plan",
            after: new { user = user.ToView(), tenant });
        return TypedResults.Created("/api/auth/me", session);
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, AppDb appDb, RefreshTokenStore refreshTokens, UserStore users, Sessions sessions, IAuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["is required."] });
        }

        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        var result = await refreshTokens.RotateAsync(db, request.RefreshToken, ct);
        var user = result.UserId is { } id ? await users.FindAsync(db, id, ct) : null;
        if (result.Outcome == RefreshOutcome.Reused && user is not null)
        {
            audit.RecordUser("user.refresh_token_reused", user, $"A replaced refresh token of {user.DisplayName} was presented again; the session was revoked", "warning");
        }

        if (result.Outcome != RefreshOutcome.Rotated || user is null)
        {
            return TypedResults.Problem(statusCode: 401, title: "Refresh failed", detail: "refreshToken: the token is unknown, expired, revoked or already used.");
        }

        return TypedResults.Ok(await sessions.ContinueAsync(db, user, result.Token!, ct));
    }

    public static async Task<Results<NoContent, ValidationProblem>> SignOutAsync(
        RefreshRequest request, AppDb appDb, RefreshTokenStore refreshTokens, UserStore users, IAuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["is required."] });
        }

        // Signing out with an unknown token succeeds too: the caller is signed out either way.
        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        if (await refreshTokens.RevokeAsync(db, request.RefreshToken, ct) is { } id && await users.FindAsync(db, id, ct) is { } user)
        {
            audit.RecordUser("user.signed_out", user, $"{user.DisplayName} signed out");
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> AcceptInvitationAsync(
        AcceptInvitationRequest request, AppDb appDb, UserStore users, Sessions sessions, IPasswordHasher<User> hasher, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.Required(request.Token, "token", 200, errors);
        FieldRules.NewPassword(request.Password, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The invitation token is the only credential: the tenant is known only from the row it finds.
        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        var user = await users.AcceptInvitationAsync(db, OpaqueToken.Hash(request.Token!), u => hasher.HashPassword(u, request.Password!), ct);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: 401, title: "Invitation not valid", detail: "token: the invitation is unknown, expired or already accepted.");
        }

        audit.RecordUser("member.invitation_accepted", user, $"{user.DisplayName} accepted the invitation");
        return TypedResults.Ok(await sessions.StartAsync(db, user, ct));
    }

    public static async Task<Results<Ok<UserView>, NotFound>> MeAsync(Caller caller, AppDb appDb, UserStore users, CancellationToken ct)
    {
        // The caller's own account, which for super admins and support staff has no tenant.
        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        return await users.FindAsync(db, caller.UserId, ct) is { } user ? TypedResults.Ok(user.ToView()) : TypedResults.NotFound();
    }
}
