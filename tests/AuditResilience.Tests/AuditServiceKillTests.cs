namespace AuditResilience.Tests;

public sealed class AuditServiceKillTests(PostgresServer postgres)
{
    [Fact]
    public async Task EveryAcknowledgedEventSurvivesRepeatedSigkillsOfEitherOfTwoInstancesOnceWithIntactChains()
    {
        // Two instances write the same tenants, as a real deployment would; each kill takes one down while the
        // other carries the load and the killed one's clients resend to it.
        var database = await postgres.CreateDatabaseAsync("audit_kill");
        await using var first = ResilienceHost.Create(database);
        await using var second = ResilienceHost.Create(database);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        ServiceProcess[] instances = [first, second];

        Guid[] tenants = [Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()];
        var load = new IngestLoad([first.Url, second.Url], tenants, writers: 6, batchSize: 40);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        var kills = 0;
        for (; kills < 6; kills++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1500 + Random.Shared.Next(500)), Ct);
            var victim = instances[kills % 2];
            await victim.KillAsync();
            await Task.Delay(300, Ct);
            await victim.StartAsync();
        }

        await Task.Delay(1000, Ct);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var acknowledged = load.Acknowledged;
        var stored = await ResilienceHost.StoredIdsAsync(database);
        Assert.True(load.Answers.Count(a => a.Status == 0) > 0, "the kills never cut a request: the test did not test anything");
        Assert.True(load.BatchesAcknowledged > 20, $"too little load: {load.BatchesAcknowledged} batches");
        Assert.DoesNotContain(load.Answers, a => a.Status is >= 500 and not 503);
        Assert.Empty(acknowledged.Except(stored.Keys).ToList()); // none acknowledged and lost
        Assert.DoesNotContain(stored, s => s.Value != 1);
        Assert.Equal(acknowledged.Count, stored.Count); // every batch was resent until acknowledged, none stored twice
        Assert.All(await ResilienceHost.VerifyChainsAsync(database, tenants), v => Assert.True(v.Intact, v.Problem));
        Assert.Equal(6, kills);
    }
}
