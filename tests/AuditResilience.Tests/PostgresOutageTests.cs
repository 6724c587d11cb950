using System.Net;
using System.Text.Json;
using AuditService.ApiKeys;

namespace AuditResilience.Tests;

public sealed class PostgresOutageTests
{
    [Fact]
    public async Task TwoInstancesAnswer503ThroughALongOutageAcknowledgeNothingAndLoseNothingAfterItReturns()
    {
        // A cluster of its own: stopping the assembly's shared one would disturb the other tests.
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("audit_outage");
        await using var first = ResilienceHost.Create(database);
        await using var second = ResilienceHost.Create(database);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        Guid[] tenants = [Guid.CreateVersion7(), Guid.CreateVersion7()];
        var load = new IngestLoad([first.Url, second.Url], tenants, writers: 6, batchSize: 40);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        await Task.Delay(1500, Ct);
        await HealthAsync(first.Url); // the operator's key has been seen, as on a monitored system
        await postgres.Cluster.StopAsync();
        var down = load.Now;
        // Longer than the API-key cache (ApiKeyStore.CacheFor): the key look-up itself meets the outage.
        await Task.Delay(ApiKeyStore.CacheFor + TimeSpan.FromSeconds(5), Ct);
        var (anonymous, operatorView) = await HealthAsync(first.Url);
        var up = load.Now;
        await postgres.Cluster.StartAsync(CancellationToken.None);
        await Task.Delay(3000, Ct);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // A request sent and answered while the server was down cannot have been committed, and was refused as an outage.
        var duringOutage = load.Answers.Where(a => a.Sent >= down && a.Received <= up).ToList();
        Assert.NotEmpty(duringOutage);
        Assert.DoesNotContain(duringOutage, a => a.Status is >= 200 and < 300);
        Assert.Contains(duringOutage, a => a.Status == 503 && a.Sent >= down + ApiKeyStore.CacheFor + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(load.Answers, a => a.Status is >= 500 and not 503);

        // /health says the database is down: only its status to anyone, the failing check's name to an operator.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.Status);
        Assert.Equal("{\"status\":\"Unhealthy\"}", anonymous.Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, operatorView.Status);
        Assert.Equal(["auditdb"], JsonDocument.Parse(operatorView.Body).RootElement.GetProperty("unhealthy").EnumerateArray().Select(e => e.GetString()));

        var stored = await ResilienceHost.StoredIdsAsync(database);
        var acknowledged = load.Acknowledged;
        Assert.Empty(acknowledged.Except(stored.Keys).ToList()); // none acknowledged and lost
        Assert.DoesNotContain(stored, s => s.Value != 1);
        Assert.Equal(acknowledged.Count, stored.Count);
        Assert.All(await ResilienceHost.VerifyChainsAsync(database, tenants), v => Assert.True(v.Intact, v.Problem));
    }

    private static async Task<((HttpStatusCode Status, string Body) Anonymous, (HttpStatusCode Status, string Body) Operator)> HealthAsync(Uri service)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(20) };
        using var anonymous = await http.GetAsync("/health");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { { "X-Api-Key", ResilienceHost.OperatorKey } } };
        using var asOperator = await http.SendAsync(request);
        return ((anonymous.StatusCode, await anonymous.Content.ReadAsStringAsync()), (asOperator.StatusCode, await asOperator.Content.ReadAsStringAsync()));
    }
}
