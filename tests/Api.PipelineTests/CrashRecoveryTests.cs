namespace Api.PipelineTests;

public sealed class CrashRecoveryTests(ShortLeaseApp app) : IClassFixture<ShortLeaseApp>
{
    [Fact]
    public async Task StageOfACrashedWorkerIsPickedUpAgainAfterItsLeaseAndTheLateResultIsDiscarded()
    {
        var llm = app.Llm!;
        using var member = await app.SignedInAsync("member@acme.test");
        var arrived = llm.HangNextAsync();
        var created = await PipelineApp.CreateActivityAsync(member, input: "Crash me mid-stage");

        // The first worker is stuck inside its LLM call, as if its process had frozen or died mid-stage.
        await arrived.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var during = await member.GetFromJsonAsync<ActivityDetail>($"/api/activities/{created.Id}", PipelineApp.Json, Ct);
        Assert.Equal(ActivityStatus.Running, during!.Activity.Status);

        // Its lease runs out; the other worker claims the activity and takes it to approval.
        var waiting = await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);
        Assert.Equal("abandoned", waiting.Timeline[0].Outcome);
        Assert.Equal("research", waiting.Timeline[0].Stage);
        Assert.Equal(["research", "review"], waiting.Timeline.Skip(1).Select(s => s.Stage));
        Assert.All(waiting.Timeline.Skip(1), s => Assert.Equal("succeeded", s.Outcome));

        // The stuck worker wakes up: its lease is gone, so it cannot move the activity any more.
        llm.ReleaseHung();
        await Task.Delay(500, Ct);
        var after = await member.GetFromJsonAsync<ActivityDetail>($"/api/activities/{created.Id}", PipelineApp.Json, Ct);
        Assert.Equal(ActivityStatus.AwaitingApproval, after!.Activity.Status);
        Assert.Equal(waiting.Activity.Output, after.Activity.Output);
        Assert.Equal(3, after.Timeline.Count);
    }
}
