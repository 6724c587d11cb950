namespace Api.PipelineTests;

public sealed class PipelineEndToEndTests(SimulatedApp app) : IClassFixture<SimulatedApp>
{
    [Fact]
    public async Task ActivityGoesThroughEveryAgentStageWaitsForApprovalAndCompletesWithAnAuditEntryPerStep()
    {
        using var member = await app.SignedInAsync("member@acme.test");
        var tenant = await app.TenantIdAsync("acme");
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var created = await PipelineApp.CreateActivityAsync(member, "draft_article", "Why observability pays for itself",
            $"00-{traceId}-00f067aa0ba902b7-01");
        Assert.Equal(ActivityStatus.Queued, created.Status);
        Assert.Equal(traceId, created.TraceId);

        var waiting = await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);
        Assert.Equal(["research", "draft", "review"], waiting.Stages);
        Assert.Equal(["researcher", "copywriter", "reviewer"], waiting.Timeline.Select(s => s.AgentRole));
        Assert.All(waiting.Timeline, s => Assert.Equal("succeeded", s.Outcome));
        Assert.Equal(3, waiting.LlmCalls.Count);
        Assert.All(waiting.LlmCalls, c =>
        {
            Assert.Equal("simulated", c.Provider);
            Assert.Equal("success", c.Outcome);
            Assert.Equal(traceId, c.TraceId);
            Assert.True(c.InputTokens > c.CachedInputTokens && c.CachedInputTokens > 0 && c.OutputTokens > 0, "realistic token counts incl. cached input");
            Assert.True(c.CostUsd > 0);
        });
        Assert.Equal(waiting.Timeline[^1].Output, waiting.Activity.Output);
        Assert.NotNull(waiting.Activity.Output);

        var approved = await member.PostAsJsonAsync($"/api/activities/{created.Id}/approve", new { note = "Ship it" }, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var done = await approved.Content.ReadFromJsonAsync<PipelineActivity>(PipelineApp.Json, Ct);
        Assert.Equal(ActivityStatus.Completed, done!.Status);
        Assert.NotNull(done.CompletedAt);

        var again = await member.PostAsJsonAsync($"/api/activities/{created.Id}/approve", new { }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var id = created.Id.ToString();
        var events = await app.Audit.EventsAsync(tenant, e => e.Any(x => x.Action == "activity.approved" && x.Resource?.Id == id));
        var mine = events.Where(e => e.Resource?.Id == id).OrderBy(e => e.Seq).ToList();
        Assert.Equal(
            ["activity.created", "activity.stage.started", "activity.stage.completed", "activity.stage.started", "activity.stage.completed",
             "activity.stage.started", "activity.stage.completed", "activity.awaiting_approval", "activity.approved"],
            mine.Select(e => e.Action));
        Assert.Equal("human", mine[0].Actor.Type);
        Assert.Equal("human", mine[^1].Actor.Type);
        Assert.All(mine[1..^1], e =>
        {
            Assert.Equal("agent", e.Actor.Type);
            Assert.Equal(tenant, e.TenantId);
        });

        // The agents' entries belong to the trace of the request that created the activity.
        Assert.All(mine[..^1], e => Assert.Equal(traceId, e.TraceId));
    }

    [Fact]
    public async Task RejectedActivityEndsRejectedAndOtherTenantsCannotSeeOrDecideIt()
    {
        using var member = await app.SignedInAsync("member@acme.test");
        using var foreign = await app.SignedInAsync("admin@globex.test");
        using var root = await app.SignedInAsync("root@platform.test");
        var created = await PipelineApp.CreateActivityAsync(member);
        await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);

        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/activities/{created.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsJsonAsync($"/api/activities/{created.Id}/reject", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/api/activities/{created.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await root.PostAsJsonAsync($"/api/activities/{created.Id}/approve", new { }, Ct)).StatusCode);

        var rejected = await member.PostAsJsonAsync($"/api/activities/{created.Id}/reject", new { note = "Off brand" }, Ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(ActivityStatus.Rejected, (await rejected.Content.ReadFromJsonAsync<PipelineActivity>(PipelineApp.Json, Ct))!.Status);

        var foreignList = await foreign.GetFromJsonAsync<List<PipelineActivity>>("/api/activities", PipelineApp.Json, Ct);
        Assert.DoesNotContain(foreignList!, a => a.Id == created.Id);
    }

    [Fact]
    public async Task BadInputIsAProblemNamingTheField()
    {
        using var member = await app.SignedInAsync("member@acme.test");
        var response = await member.PostAsJsonAsync("/api/activities", new { kind = "write_poem", input = "" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"kind\"", body);
        Assert.Contains("\"input\"", body);

        using var root = await app.SignedInAsync("root@platform.test");
        var noTenant = await root.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "x" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        Assert.Contains("tenantId", await noTenant.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, (await member.GetAsync("/api/activities?status=lost", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await member.GetAsync("/api/usage?granularity=hour", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/pipeline/state", Ct)).StatusCode);
    }

    [Fact]
    public async Task PipelineStateAndMetricsShowTheWork()
    {
        using var member = await app.SignedInAsync("member@acme.test");
        var created = await PipelineApp.CreateActivityAsync(member);
        await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);

        var state = await member.GetFromJsonAsync<PipelineStateView>("/api/pipeline/state", PipelineApp.Json, Ct);
        Assert.True(state!.ApprovalBacklog >= 1);
        Assert.Contains(state.StageDurations, d => d.Stage == "research" && d.AgentRole == "researcher" && d.AverageSeconds > 0);
        Assert.Contains(state.FailureRates, f => f.AgentRole == "reviewer" && f.Runs >= 1);

        await Task.Delay(500, Ct); // one refresh of the pipeline gauges
        var metrics = await app.CreateClient().GetStringAsync("/metrics", Ct);
        foreach (var series in new[]
        {
            "llm_cost_usd_total{", "llm_budget_utilization{", "llm_calls_total{", "llm_spend_month_usd{",
            "gen_ai_client_token_usage_bucket{", "gen_ai_client_operation_duration_seconds_bucket{",
            "pipeline_activities{", "pipeline_approval_backlog ", "pipeline_stage_duration_seconds_bucket{", "pipeline_queue_depth ",
            "pipeline_dead_letters ", "platform_last_activity_timestamp_seconds ", "tenants_active{", "tenant_activities_created_total{",
        })
        {
            Assert.Contains(series, metrics);
        }

        // Stage durations in seconds' buckets: without them the SDK's default bounds (0, 5, 10, 25 … read as seconds) put
        // every stage under 5 s in one bucket, and the board's p50 and p95 read 2.5 s and 4.75 s whatever the stages took.
        Assert.Matches("pipeline_stage_duration_seconds_bucket\\{[^}]*le=\"0\\.64\"", metrics);

        // The GenAI conventions' attributes, with the tenant and the agent, on the Api's own instruments; no second copy
        // of them from Microsoft.Extensions.AI's meter, and no attribute names of our own for what the conventions name.
        Assert.Contains("gen_ai_token_type=\"cached_input\"", metrics);
        Assert.Contains("gen_ai_agent_name=\"researcher\"", metrics);
        Assert.Contains("gen_ai_provider_name=\"simulated\"", metrics);
        Assert.Matches("gen_ai_client_token_usage_bucket\\{[^}]*tenant=\"acme\"", metrics);
        Assert.DoesNotContain("llm_tokens_total", metrics);
        Assert.DoesNotContain(" model=\"", metrics.Replace(",", " ", StringComparison.Ordinal).Replace("{", " ", StringComparison.Ordinal));
    }
}
