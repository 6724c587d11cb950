using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Observability.Tests;

/// <summary>What a few users do: sign in (and fail to), create and list tenants, send bad requests, read the audit log.</summary>
public sealed class Traffic(PlatformApp host, HttpClient http)
{
    private const string Admin = "admin@platform.local";

    public async Task RoundAsync(int round, CancellationToken ct)
    {
        var api = host.Url("api");
        var token = (await http.SignInAsync(Admin, host.Password(Admin), api, ct)).AccessToken;

        // 4xx on purpose: a wrong password, a request without a token, an invalid tenant.
        await http.PostSignInAsync(Admin, "wrong", api, ct);
        await http.GetAsync(new Uri(api, "/api/tenants"), ct);
        foreach (var body in new object[] { new { name = $"Observed {round} {Guid.NewGuid():N}"[..30], plan = "pro" }, new { name = "", plan = "gold" } })
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/tenants")) { Content = JsonContent.Create(body) };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await http.SendAsync(create, ct);
        }

        using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(api, "/api/tenants"));
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.SendAsync(list, ct)).EnsureSuccessStatusCode();

        // AuditService: a malformed batch (counted as a reject by reason) and a read of the log.
        var audit = host.Url("auditservice");
        using var malformed = new HttpRequestMessage(HttpMethod.Post, new Uri(audit, "/api/v1/events"))
        {
            Content = new StringContent("{ not json", Encoding.UTF8, "application/json"),
        };
        malformed.Headers.Add("X-Api-Key", host.Secret("api-audit-key"));
        await http.SendAsync(malformed, ct);
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(audit, "/api/v1/audit-events"));
        read.Headers.Add("X-Api-Key", host.Secret("ops-audit-read-key"));
        await http.SendAsync(read, ct);

        await http.GetAsync(new Uri(host.Url("dashboard"), "/audit"), ct);
    }
}
