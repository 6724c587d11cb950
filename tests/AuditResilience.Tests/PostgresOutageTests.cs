using Testing;

namespace AuditResilience.Tests;

public sealed class PostgresOutageTests
{
    [Fact]
    public async Task NoAcknowledgementWhileTheDatabaseIsDownAndNothingLostAfterItReturns()
    {
        // A cluster of its own: stopping the assembly's shared one would disturb the other tests.
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var _ = postgres;
        var database = await postgres.CreateDatabaseAsync("audit_outage");
        await using var service = AuditServiceHost.Create(database);
        await service.StartAsync();

        Guid[] tenants = [Guid.CreateVersion7(), Guid.CreateVersion7()];
        var load = new IngestLoad(service.Url, tenants, writers: 6, batchSize: 40);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await postgres.Cluster.StopAsync();
        var down = load.Now;
        await Task.Delay(3000, TestContext.Current.CancellationToken);
        var up = load.Now;
        await postgres.Cluster.StartAsync(CancellationToken.None);
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        // A request sent and answered while the server was down cannot have been committed.
        var duringOutage = load.Answers.Where(a => a.Sent >= down && a.Received <= up).ToList();
        Assert.NotEmpty(duringOutage);
        Assert.DoesNotContain(duringOutage, a => a.Status is >= 200 and < 300);
        Assert.DoesNotContain(load.Answers, a => a.Status is >= 500 and not 503);

        var stored = await AuditServiceHost.StoredIdsAsync(database);
        var acknowledged = load.Acknowledged;
        Assert.Empty(acknowledged.Except(stored.Keys).ToList()); // none acknowledged and lost
        Assert.DoesNotContain(stored, s => s.Value != 1);
        Assert.Equal(acknowledged.Count, stored.Count);
        Assert.All(await AuditServiceHost.VerifyChainsAsync(database, tenants), v => Assert.True(v.Intact, v.Problem));
    }
}
