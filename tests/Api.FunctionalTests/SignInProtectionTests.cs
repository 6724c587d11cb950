using System.Diagnostics;
using Api.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Api.FunctionalTests;

/// <summary>
/// Sign-in cannot be guessed: the per-address limit cannot be dodged with X-Forwarded-For (trusted only with the
/// Dashboard's secret), each account backs off and locks after failures in a row (audited, unlocked by an admin), and
/// neither the answer nor its timing tells a locked account's right password or an unknown email from a wrong one.
/// </summary>
public sealed class SignInProtectionTests(ApiFixture api)
{
    private const string ProxySecret = "dashboard-proxy-secret-for-tests-0123456789";
    [Fact]
    public async Task AForwardedAddressIsTrustedOnlyWithTheDashboardsSecretNotFromAnyLocalProcess()
    {
        await using var limited = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("RateLimits:Auth:PermitLimit", "3");
            b.UseSetting("ForwardedFor:ProxySecret", ProxySecret);
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, LoopbackPeer>());
        });
        using var client = limited.CreateClient();

        var forged = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            forged.Add((await SignInAsync(client, ApiFixture.GlobexAdmin, "wrong-password", $"198.51.100.{i}", secret: null)).StatusCode);
        }

        var dashboard = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            dashboard.Add((await SignInAsync(client, "nobody@nowhere.test", "wrong-password", $"192.0.2.{i}", ProxySecret)).StatusCode);
        }

        // Five guesses with five made-up addresses from one local process: one address, limited after three.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], forged);
        // The Dashboard's sign-ins for five people: five addresses, none limited.
        Assert.All(dashboard, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var wrongSecret = await SignInAsync(client, "nobody@nowhere.test", "wrong-password", "192.0.2.77", "not-the-dashboards-secret-0123456789");
        Assert.Equal(HttpStatusCode.TooManyRequests, wrongSecret.StatusCode);
    }

    [Fact]
    public async Task AfterFiveFailuresInARowEvenTheRightPasswordIsRefusedUntilAnAdminUnlocks()
    {
        var (email, userId, tenant) = await FreshAccountAsync("lockout");
        using var client = api.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, email, $"wrong-{i}")).StatusCode);
        }

        var right = await SignInAsync(client, email, ApiFixture.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var locked = await api.AuditEventAsync(tenant, e => e.Action == SignInGuard.LockedAction && e.Resource?.Id == userId.ToString());
        Assert.Equal("warning", locked.Severity);

        using var other = await api.ClientForAsync(ApiFixture.AcmeAdmin); // another tenant's admin may not unlock it
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/users/{userId}/unlock", null, Ct)).StatusCode);
        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var unlocked = await root.PostAsync($"/api/users/{userId}/unlock", null, Ct);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, email, ApiFixture.Password)).StatusCode);
        await api.AuditEventAsync(tenant, e => e.Action == "user.unlocked" && e.Resource?.Id == userId.ToString());
    }

    [Fact]
    public async Task NeitherTheAnswerNorItsTimeTellsALockedAccountsRightPasswordOrAnUnknownEmailFromAWrongOne()
    {
        var (email, _, _) = await FreshAccountAsync("timing");
        using var client = api.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(client, email, $"wrong-{i}");
        }

        var attempts = new (string Name, string Email, string Password)[]
        {
            ("locked, right password", email, ApiFixture.Password),
            ("locked, wrong password", email, "wrong-again"),
            ("unknown email", $"nobody-{Guid.NewGuid():N}@nowhere.test", ApiFixture.Password),
        };
        var times = attempts.ToDictionary(a => a.Name, _ => new List<double>());
        var answers = new HashSet<string>();
        for (var round = 0; round < 7; round++)
        {
            foreach (var (name, who, password) in attempts)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await SignInAsync(client, who, password);
                times[name].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                answers.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!);
            }
        }

        Assert.Single(answers);
        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        var reference = medians["locked, wrong password"];
        // Each costs one password-hash check (tens of milliseconds); skipping it would answer in about a tenth of that.
        Assert.All(medians, m => Assert.InRange(m.Value / reference, 0.4, 2.5));
    }

    private async Task<(string Email, Guid UserId, Guid Tenant)> FreshAccountAsync(string prefix)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..16];
        var session = await api.SignUpAsync(name);
        return ($"owner@{name}.test", session.User.Id, session.User.TenantId!.Value);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? forwardedFor = null, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { email, password }) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (secret is not null)
        {
            request.Headers.Add("X-Proxy-Secret", secret);
        }

        return client.SendAsync(request, Ct);
    }

    // Every caller of this host is a local process, as on a machine where the Api listens on loopback.
    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
