using AuditService.Retention;

namespace AuditService.QueryTests;

/// <summary>Instances on one database take turns: the schedule runs once for all, a super admin's run always runs.</summary>
public sealed class RetentionAcrossInstancesTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task TwoInstancesWhoseTimersFireTogetherRecordOneScheduledRun()
    {
        // A second instance on the same database, with its own job and timer.
        await using var second = app.WithWebHostBuilder(_ => { });
        var jobs = new[] { app.Services.GetRequiredService<RetentionJob>(), second.Services.GetRequiredService<RetentionJob>() };
        var store = app.Services.GetRequiredService<RetentionStore>();

        var runs = await Task.WhenAll(jobs.Select(job => job.RunScheduledAsync(RetentionTriggers.Schedule, Ct)));

        Assert.Single(runs, run => run is not null);
        Assert.Single(await store.RunsAsync(10, Ct));

        // Either instance's next tick within half an interval finds the run made and leaves it at that.
        Assert.Null(await jobs[0].RunScheduledAsync(RetentionTriggers.Schedule, Ct));
        Assert.Null(await jobs[1].RunScheduledAsync(RetentionTriggers.StartUp, Ct));

        // A super admin's run is never skipped.
        var manual = await jobs[1].RunRecordedAsync(RetentionTriggers.Manual, "root@platform.test", Ct);
        Assert.Null(manual.Error);
        Assert.Equal([RetentionTriggers.Manual, RetentionTriggers.Schedule], (await store.RunsAsync(10, Ct)).Select(r => r.Trigger));
    }

    [Fact]
    public async Task AScheduledRunWhileAnotherInstanceHoldsRetentionIsSkipped()
    {
        await using var second = app.WithWebHostBuilder(_ => { });
        var store = app.Services.GetRequiredService<RetentionStore>();
        var before = (await store.RunsAsync(10, Ct)).Count;

        await using (var held = await store.ClaimAsync(wait: false, Ct))
        {
            Assert.NotNull(held);
            Assert.Null(await second.Services.GetRequiredService<RetentionStore>().ClaimAsync(wait: false, Ct));
            Assert.Null(await second.Services.GetRequiredService<RetentionJob>().RunScheduledAsync(RetentionTriggers.Schedule, Ct));
        }

        Assert.Equal(before, (await store.RunsAsync(10, Ct)).Count);
        // Released with the claim: the other instance may take it now.
        await using var taken = await second.Services.GetRequiredService<RetentionStore>().ClaimAsync(wait: false, Ct);
        Assert.NotNull(taken);
    }
}
