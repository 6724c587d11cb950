namespace Api.PipelineTests;

public sealed class RetryAndDeadLetterTests(TestDoubleApp app) : IClassFixture<TestDoubleApp>
{
    [Fact]
    public async Task FailingStageRetriesWithGrowingBackoffThenDeadLettersAndATenantAdminRetriesIt()
    {
        var llm = app.Llm!;
        llm.FailNext(int.MaxValue);
        using var member = await app.SignedInAsync("member@globex.test");
        using var admin = await app.SignedInAsync("admin@globex.test");
        var tenant = await app.TenantIdAsync("globex");
        var created = await PipelineApp.CreateActivityAsync(member);

        var dead = await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.DeadLetter);
        Assert.Equal([1, 2, 3], dead.Timeline.Select(s => s.Attempt));
        Assert.All(dead.Timeline, s => Assert.Equal("failed", s.Outcome));
        Assert.All(dead.LlmCalls, c => Assert.Equal("error", c.Outcome));
        Assert.Contains("500", dead.Activity.LastError);

        // Exponential backoff: 200 ms after the first failure, 400 ms after the second.
        var gap1 = dead.Timeline[1].StartedAt - dead.Timeline[0].FinishedAt!.Value;
        var gap2 = dead.Timeline[2].StartedAt - dead.Timeline[1].FinishedAt!.Value;
        Assert.True(gap1 >= TimeSpan.FromMilliseconds(190), $"first backoff {gap1}");
        Assert.True(gap2 >= TimeSpan.FromMilliseconds(390), $"second backoff {gap2}");

        var state = await member.GetFromJsonAsync<PipelineStateView>("/api/pipeline/state", PipelineApp.Json, Ct);
        Assert.Contains(state!.DeadLetters, a => a.Id == created.Id);
        Assert.Contains(state.FailureRates, f => f.AgentRole == "researcher" && f.Failures >= 3);
        // Health as people read it: globex's only stage runs (this test's) all failed in the last hour; one dead letter.
        Assert.Equal(new StageOutcomes(3, 0), state.LastHour);
        Assert.Equal(0, state.LastHour.SuccessRate);
        Assert.Equal(1, state.ByStatus[ActivityStatus.DeadLetter]);

        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/api/activities/{created.Id}/retry", null, Ct)).StatusCode);
        using var foreignAdmin = await app.SignedInAsync("admin@acme.test");
        Assert.Equal(HttpStatusCode.NotFound, (await foreignAdmin.PostAsync($"/api/activities/{created.Id}/retry", null, Ct)).StatusCode);

        llm.FailNext(0);
        var retried = await admin.PostAsync($"/api/activities/{created.Id}/retry", null, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/activities/{created.Id}/retry", null, Ct)).StatusCode);

        var waiting = await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);
        Assert.Equal(["failed", "failed", "failed", "succeeded", "succeeded"], waiting.Timeline.Select(s => s.Outcome));
        var after = await member.GetFromJsonAsync<PipelineStateView>("/api/pipeline/state", PipelineApp.Json, Ct);
        Assert.Equal(new StageOutcomes(5, 2), after!.LastHour);
        Assert.Equal(0.4, after.LastHour.SuccessRate);
        Assert.Equal(0, after.ByStatus[ActivityStatus.DeadLetter]);

        var id = created.Id.ToString();
        var events = await app.Audit.EventsAsync(tenant, e => e.Count(x => x.Resource?.Id == id && x.Action == "activity.stage.completed") >= 2);
        var mine = events.Where(e => e.Resource?.Id == id).ToList();
        Assert.Equal(3, mine.Count(e => e.Action == "activity.stage.failed" && e.Actor.Type == "agent" && e.Severity == "error"));
        Assert.Single(mine, e => e.Action == "activity.dead_lettered" && e.Actor.Type == "agent" && e.Severity == "critical");
        var retry = Assert.Single(mine, e => e.Action == "activity.retried");
        Assert.Equal("human", retry.Actor.Type);
        Assert.Equal("admin@globex.test", retry.Actor.Email);
        Assert.Equal("dead_letter", retry.Before!.Value.GetProperty("status").GetString());
    }
}
