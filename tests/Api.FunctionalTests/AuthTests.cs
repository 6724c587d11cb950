using Audit.Contracts;
using Api.Identity;
using Testing;

namespace Api.FunctionalTests;

public sealed class AuthTests(ApiFixture api)
{
    [Fact]
    public async Task SignInAnswersTokensWhoseClaimsNameUserRoleAndTenant()
    {
        var session = await api.SignInAsync(ApiFixture.AcmeAdmin);
        var acme = await api.TenantIdAsync("acme");

        var jwt = ApiFixture.Decode(session.AccessToken);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(session.User.Id.ToString(), jwt.GetClaim("sub").Value);
        Assert.Equal(Roles.TenantAdmin, jwt.GetClaim("role").Value);
        Assert.Equal(acme.ToString(), jwt.GetClaim("tenant_id").Value);
        Assert.StartsWith(RefreshTokenStore.Prefix, session.RefreshToken);
        Assert.InRange(session.ExpiresIn, 60, 15 * 60);

        var signedIn = await api.AuditEventAsync(acme, e => e.Action == "user.signed_in" && e.Actor.Id == session.User.Id.ToString());
        Assert.Equal(ApiFixture.AcmeAdmin, signedIn.Actor.Email);
        Assert.Equal(ApiFixture.ClientAddress.ToString(), signedIn.IpAddress);
    }

    [Fact]
    public async Task SupportTokensCarryOneSupportTenantsClaimPerAssignedTenant()
    {
        var session = await api.SignInAsync(ApiFixture.Support);
        var jwt = ApiFixture.Decode(session.AccessToken);

        Assert.Equal(Roles.Support, jwt.GetClaim("role").Value);
        Assert.Equal([(await api.TenantIdAsync("acme")).ToString()], jwt.Claims.Where(c => c.Type == "support_tenants").Select(c => c.Value));
        Assert.False(jwt.TryGetClaim("tenant_id", out _));
    }

    [Fact]
    public async Task WrongPasswordIsRefusedAndAuditedAsAWarningWithTheUserAgent()
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("auth-tests/1.0");
        var response = await client.PostSignInAsync(ApiFixture.GlobexMember, "not-the-password", ct: Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var failed = await api.AuditEventAsync(await api.TenantIdAsync("globex"), e => e.Action == "user.login_failed" && e.UserAgent == "auth-tests/1.0");
        Assert.Equal("warning", failed.Severity);
        Assert.Equal(ApiFixture.GlobexMember, failed.Actor.Email);
    }

    [Fact]
    public async Task SignInWithoutPasswordIsAProblemNamingTheField()
    {
        using var client = api.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/sign-in", new { email = ApiFixture.AcmeAdmin }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken: Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task RefreshRotatesTheTokenAndAReusedTokenRevokesTheSession()
    {
        var first = await api.SignInAsync(ApiFixture.AcmeMember);
        using var client = api.CreateClient();

        var second = await PostRefreshTokenAsync(client, "refresh", first.RefreshToken, HttpStatusCode.OK);
        var rotated = (await second.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken: Ct))!;
        Assert.NotEqual(first.RefreshToken, rotated.RefreshToken);
        Assert.Equal(first.User.Id.ToString(), ApiFixture.Decode(rotated.AccessToken).GetClaim("sub").Value);

        await PostRefreshTokenAsync(client, "refresh", first.RefreshToken, HttpStatusCode.Unauthorized);

        // The reuse revoked the whole family: the token issued by the rotation is dead too.
        await PostRefreshTokenAsync(client, "refresh", rotated.RefreshToken, HttpStatusCode.Unauthorized);
        await api.AuditEventAsync(await api.TenantIdAsync("acme"), e => e.Action == "user.refresh_token_reused" && e.Actor.Id == first.User.Id.ToString());
    }

    [Fact]
    public async Task SignOutRevokesTheRefreshTokenAndIsAudited()
    {
        var session = await api.SignInAsync(ApiFixture.GlobexAdmin);
        using var client = api.CreateClient();

        await PostRefreshTokenAsync(client, "sign-out", session.RefreshToken, HttpStatusCode.NoContent);
        await PostRefreshTokenAsync(client, "refresh", session.RefreshToken, HttpStatusCode.Unauthorized);
        await api.AuditEventAsync(session.User.TenantId!.Value, e => e.Action == "user.signed_out" && e.Actor.Id == session.User.Id.ToString());
    }

    [Fact]
    public async Task UnknownRefreshTokenIsRefused()
    {
        using var client = api.CreateClient();
        await PostRefreshTokenAsync(client, "refresh", "rt_made-up", HttpStatusCode.Unauthorized);

        var missing = await client.PostAsJsonAsync("/api/auth/refresh", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task SignUpCreatesAFreeTenantWithTheCallerAsAdminAndIsAudited()
    {
        var session = await api.SignUpAsync("initech");

        Assert.Equal(Roles.TenantAdmin, session.User.Role);
        using var client = api.ClientWithToken(session.AccessToken);
        var tenant = await client.GetFromJsonAsync<TenantSummary>($"/api/tenants/{session.User.TenantId}", Ct);
        Assert.Equal("free", tenant!.Plan);
        Assert.Equal(5m, tenant.MonthlyBudgetUsd);
        Assert.Equal(1, tenant.MemberCount);

        var audited = await api.AuditEventAsync(tenant.Id, e => e.Action == "user.signed_up");
        Assert.Equal("free", audited.After!.Value.GetProperty("tenant").GetProperty("plan").GetString());
    }

    [Fact]
    public async Task SignUpWithATakenEmailOrBadFieldsIsRefusedNamingTheField()
    {
        using var client = api.CreateClient();
        var taken = await client.PostAsJsonAsync("/api/auth/sign-up",
            new { email = ApiFixture.AcmeAdmin, password = ApiFixture.Password, displayName = "X", tenantName = "Someone Else" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("email", (await taken.Content.ReadFromJsonAsync<JsonElement>(cancellationToken: Ct)).GetProperty("field").GetString());

        var bad = await client.PostAsJsonAsync("/api/auth/sign-up", new { email = "nope", password = "short", displayName = "", tenantName = "!" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(cancellationToken: Ct)).GetProperty("errors");
        foreach (var field in new[] { "email", "password", "displayName", "tenantName" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task JwksPublishesTheKeyThatSignsTokens()
    {
        var session = await api.SignInAsync(ApiFixture.SuperAdmin);
        using var client = api.CreateClient();
        var jwks = await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json", Ct);

        var key = jwks.GetProperty("keys")[0];
        Assert.Equal(ApiFixture.Decode(session.AccessToken).Kid, key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    /// <summary>Posts <paramref name="refreshToken"/> to /api/auth/<paramref name="action"/> and asserts the answer's status.</summary>
    private static async Task<HttpResponseMessage> PostRefreshTokenAsync(HttpClient client, string action, string refreshToken, HttpStatusCode expected)
    {
        var response = await client.PostAsJsonAsync($"/api/auth/{action}", new { refreshToken }, Ct);
        Assert.Equal(expected, response.StatusCode);
        return response;
    }
}
