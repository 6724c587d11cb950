using System.Net.Http.Headers;
using System.Net.Http.Json;
using Audit.Contracts;

namespace Observability.Tests;

/// <summary>
/// The repo's alertmanager.yml in a real Alertmanager 0.25, delivering to a real Api (over PostgreSQL, auditing to a real
/// AuditService): an alert posted to Alertmanager becomes a notification for super admins, authenticated by the secret
/// Alertmanager reads from the file beside its config.
/// </summary>
public sealed class AlertDeliveryTests
{
    private static readonly string WriteKey = ApiKeyFormat.New();
    private const string Secret = "alert-delivery-tests-webhook-secret-0123456789";
    private const string Admin = "admin@alerts.test";
    private const string Password = "alert-delivery-Passw0rd!";

    [Fact]
    public async Task AnAlertPostedToAlertmanagerArrivesAsANotificationThroughTheRepoConfig()
    {
        var ct = Ct;
        await using var postgres = await PostgresServer.StartAsync();
        await using var audit = new AuditServiceHost(await postgres.CreateDatabaseAsync("alerts_audit"), SeededKey.Writer(WriteKey)).Process();
        await audit.StartAsync();
        var appDb = await postgres.CreateDatabaseAsync("alerts_app");
        await using var api = new ServiceProcess("Api", new Dictionary<string, string>
        {
            ["ConnectionStrings__appdb"] = appDb.App,
            ["ConnectionStrings__appdb-owner"] = appDb.Owner,
            ["AuditClient__Endpoint"] = audit.Url.ToString(),
            ["AuditClient__ApiKey"] = WriteKey,
            ["AlertWebhook__Secret"] = Secret,
            ["Seed__Users__0__Email"] = Admin,
            ["Seed__Users__0__Password"] = Password,
            ["Seed__Users__0__Role"] = "super_admin",
        });
        await api.StartAsync();
        // The repo's file as it is, its webhook pointed at this test's Api, the secret in the file it names.
        var config = await File.ReadAllTextAsync(Repository.PathOf("alertmanager", "alertmanager.yml"), ct);
        Assert.Contains("http://localhost:5101/", config);
        await using var alertmanager = await LocalServer.AlertmanagerAsync(config.Replace("http://localhost:5101/", api.Url.ToString(), StringComparison.Ordinal),
            new Dictionary<string, string> { ["alert-webhook-secret"] = Secret });

        var summary = $"A critical audit entry was recorded ({Guid.NewGuid():N})";
        using var http = new HttpClient();
        var posted = await http.PostAsJsonAsync(new Uri(alertmanager.Url, "/api/v2/alerts"), new[]
        {
            new
            {
                labels = new Dictionary<string, string> { ["alertname"] = "CriticalAuditEntry", ["severity"] = "critical", ["category"] = "activity" },
                annotations = new Dictionary<string, string> { ["summary"] = summary },
                startsAt = DateTimeOffset.UtcNow,
            },
        }, ct);
        posted.EnsureSuccessStatusCode();

        var token = (await http.SignInAsync(Admin, Password, api.Url, ct)).AccessToken;
        var found = await Eventually.Async(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Url, "/api/notifications"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            var list = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return list.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("summary").GetString() == summary)
                .Select(n => n.GetRawText()).FirstOrDefault();
        }, seconds: 60);
        var notification = JsonDocument.Parse(found).RootElement;

        Assert.Equal("CriticalAuditEntry", notification.GetProperty("alertName").GetString());
        Assert.Equal("firing", notification.GetProperty("status").GetString());
    }
}
