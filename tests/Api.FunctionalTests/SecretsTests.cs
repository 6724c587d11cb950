using Api.Identity;
using Testing;

namespace Api.FunctionalTests;

public sealed class SecretsTests(ApiFixture api)
{
    [Fact]
    public async Task NoPasswordOrTokenReachesALogOrASpan()
    {
        const string failedPassword = "wrong-password-that-must-not-leak";
        using var client = api.CreateClient();
        await client.PostSignInAsync(ApiFixture.AcmeAdmin, failedPassword, ct: Ct);
        var session = await api.SignInAsync(ApiFixture.AcmeAdmin);
        var refreshed = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken }, Ct))
            .Content.ReadFromJsonAsync<TokenResponse>(cancellationToken: Ct);
        using var authed = api.ClientWithToken(refreshed!.AccessToken);
        (await authed.GetAsync("/api/auth/me", Ct)).EnsureSuccessStatusCode();
        await client.PostAsJsonAsync("/api/auth/sign-out", new { refreshToken = refreshed.RefreshToken }, Ct);
        await api.AuditEventAsync(session.User.TenantId!.Value, e => e.Action == "user.signed_out" && e.Actor.Id == session.User.Id.ToString());
        await Task.Delay(500, Ct); // the server spans of the last requests end after their responses

        var logs = api.Telemetry.Logs.ToList();
        var spans = api.Telemetry.SpanTexts().ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(spans, s => s.Contains("/api/auth/sign-in", StringComparison.Ordinal));
        foreach (var secret in new[] { ApiFixture.Password, failedPassword, session.RefreshToken, session.AccessToken, refreshed.RefreshToken, refreshed.AccessToken })
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(spans, s => s.Contains(secret, StringComparison.Ordinal));
        }
    }
}
