using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace AuditResilience.Tests;

public sealed class ApiWithoutAuditServiceTests(PostgresServer postgres)
{
    private const string AdminEmail = "admin@resilience.local";
    private const string AdminPassword = "resilience-Passw0rd!";

    [Fact]
    public async Task ApiServesAtNormalSpeedWhileAuditServiceIsDownAndEveryEventArrivesAfterAnApiRestart()
    {
        var auditDb = await postgres.CreateDatabaseAsync("audit_spill");
        var appDb = await postgres.CreateDatabaseAsync("app_spill");
        var spill = Directory.CreateTempSubdirectory("audit-spill-");
        await using var auditService = ResilienceHost.Create(auditDb);
        await auditService.StartAsync();
        await using var api = new ServiceProcess("Api", new Dictionary<string, string>
        {
            ["ConnectionStrings__appdb"] = appDb.App,
            ["ConnectionStrings__appdb-owner"] = appDb.Owner,
            ["Seed__Users__0__Email"] = AdminEmail,
            ["Seed__Users__0__Password"] = AdminPassword,
            ["Seed__Users__0__Role"] = "super_admin",
            ["AuditClient__Endpoint"] = auditService.Url.ToString(),
            ["AuditClient__ApiKey"] = ResilienceHost.WriteKey,
            ["AuditClient__SpillDirectory"] = spill.FullName,
            ["AlertWebhook__Secret"] = "audit-resilience-webhook-secret-0123456789",
        });
        await api.StartAsync();
        try
        {
            await ServeThroughOutageAndRestartAsync(api, auditService, auditDb, spill);
        }
        finally
        {
            // The services' own words, for when this fails.
            TestContext.Current.TestOutputHelper?.WriteLine($"api:\n{api.Output}\nauditservice:\n{auditService.Output}");
        }
    }

    private static async Task ServeThroughOutageAndRestartAsync(ServiceProcess api, ServiceProcess auditService, TestDatabase auditDb, DirectoryInfo spill)
    {
        using var http = await SignedInAsync(api.Url);

        var tenants = new List<Guid>();
        var normal = await CreateTenantsAsync(http, 15, tenants);

        await auditService.KillAsync();
        var degraded = await CreateTenantsAsync(http, 30, tenants);

        // Requests do not wait on the audit log: no slower than with AuditService up, give or take noise.
        Assert.True(Median(degraded) < Median(normal) * 3 + 100, $"median {Median(degraded)} ms without AuditService vs {Median(normal)} ms with it");
        Assert.True(degraded.Max() < 2000, $"slowest request took {degraded.Max()} ms");

        await api.StopAsync();
        Assert.NotEmpty(spill.EnumerateFiles("*.json"));

        await api.StartAsync(); // still no AuditService: the restarted Api finds the spilled batches and keeps them
        using var again = await SignedInAsync(api.Url);
        await CreateTenantsAsync(again, 10, tenants);
        await auditService.StartAsync();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        HashSet<Guid> audited;
        do
        {
            await Task.Delay(500, Ct);
            audited = await AuditedTenantsAsync(auditDb, tenants);
        }
        while (audited.Count < tenants.Count && DateTime.UtcNow < deadline);

        Assert.Empty(tenants.Except(audited).ToList());
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (spill.EnumerateFiles("*.json").Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        Assert.Empty(spill.EnumerateFiles("*.json")); // acknowledged batches leave the disk
        spill.Delete(recursive: true);
    }

    private static Task<HttpClient> SignedInAsync(Uri api) => new HttpClient { BaseAddress = api }.SignedInAsync(AdminEmail, AdminPassword);

    /// <summary>Creates tenants (each one audited as tenant.created); returns each request's duration in ms.</summary>
    private static async Task<List<double>> CreateTenantsAsync(HttpClient http, int count, List<Guid> tenants)
    {
        var durations = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync("/api/tenants", new { name = $"Resilience {Guid.NewGuid():N}"[..30], plan = "pro" });
            durations.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            tenants.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        return durations;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<HashSet<Guid>> AuditedTenantsAsync(TestDatabase database, List<Guid> tenants)
    {
        await using var connection = new NpgsqlConnection(database.Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT tenant_id FROM audit_events WHERE action = 'tenant.created' AND tenant_id = ANY(@tenants)", connection);
        command.Parameters.AddWithValue("tenants", tenants.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var audited = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            audited.Add(reader.GetGuid(0));
        }

        return audited;
    }
}
