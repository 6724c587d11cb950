using System.Globalization;
using Api.Llm;
using Api.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Api.PipelineTests;

public sealed class CostAndCapTests(ProviderApp app) : IClassFixture<ProviderApp>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Say hi")];

    [Fact]
    public void CostPricesUncachedInputCachedInputAndOutputEachAtTheirOwnRate()
    {
        var price = new ModelPrice { Input = 2.50m, CachedInput = 1.25m, Output = 10.00m };
        // 1,000,000 input of which 400,000 cached, 200,000 output:
        // 600,000 × 2.50 + 400,000 × 1.25 + 200,000 × 10.00 = 1.50 + 0.50 + 2.00 = 4.00 USD
        Assert.Equal(4.00m, LlmCost.Of(new TokenUsage(1_000_000, 400_000, 200_000), price));
        Assert.Equal(0m, LlmCost.Of(new TokenUsage(0, 0, 0), price));
        Assert.Equal(0.0000025m, LlmCost.Of(new TokenUsage(1, 0, 0), price));
    }

    [Fact]
    public async Task ProviderCallIsPricedWithCachedTokensRecordedAndRolledUp()
    {
        var tenant = await app.TenantIdAsync("globex");
        app.Llm!.Usage = (1000, 400, 200);
        var gateway = app.Services.GetRequiredService<LlmGateway>();

        var result = await gateway.CompleteAsync(LlmCaller.User(tenant, "tests"), Prompt, Ct);

        // (600 × 1.00 + 400 × 0.10 + 200 × 10.00) / 1e6 = 0.00264 USD
        Assert.Equal(new TokenUsage(1000, 400, 200), result.Tokens);
        Assert.Equal(0.00264m, result.CostUsd);
        Assert.Equal(0.00264m, await app.ScalarAsync<decimal>("SELECT cost_usd FROM llm_calls WHERE id = @id", ("id", result.CallId)));
        Assert.Equal(400L, await app.ScalarAsync<long>("SELECT cached_input_tokens FROM llm_calls WHERE id = @id", ("id", result.CallId)));
        Assert.Equal(LlmGateway.HashOf(Prompt), await app.ScalarAsync<string>("SELECT input_sha256 FROM llm_calls WHERE id = @id", ("id", result.CallId)));
        Assert.StartsWith("Test double answer", await app.ScalarAsync<string>("SELECT output_preview FROM llm_calls WHERE id = @id", ("id", result.CallId)));

        await gateway.CompleteAsync(LlmCaller.User(tenant, "tests"), Prompt, Ct);
        Assert.Equal(2L, await app.ScalarAsync<long>("SELECT calls FROM llm_usage_daily WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(0.00528m, await app.ScalarAsync<decimal>("SELECT cost_usd FROM llm_usage_daily WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(800L, await app.ScalarAsync<long>("SELECT cached_input_tokens FROM llm_usage_daily WHERE tenant_id = @t", ("t", tenant)));

        using var admin = await app.SignedInAsync("admin@globex.test");
        var report = await admin.GetFromJsonAsync<UsageReport>("/api/usage?granularity=month", PipelineApp.Json, Ct);
        var row = Assert.Single(report!.Rows);
        Assert.Equal(("globex", "testdouble", "td-model", 2L, 800L), (row.Tenant, row.Provider, row.Model, row.Calls, row.CachedInputTokens));
        Assert.Equal(0.00528m, report.TotalCostUsd);

        using var other = await app.SignedInAsync("admin@acme.test");
        var foreign = await other.GetAsync($"/api/usage?tenantId={tenant}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.DoesNotContain((await other.GetFromJsonAsync<UsageReport>("/api/usage", PipelineApp.Json, Ct))!.Rows, r => r.TenantId == tenant);
    }

    [Theory]
    [InlineData("month", "2025-03-20", "2025-03-01", 3L)]
    [InlineData("week", "2025-03-05", "2025-03-03", 2L)]
    public async Task AReportStartsOnAWholePeriodSoItsFirstRowIsNotTheTailOfOne(string granularity, string from, string periodStart, long calls)
    {
        var tenant = await app.TenantIdAsync("acme");
        // Monday 3 March, Tuesday 4 March (one week), Monday 24 March: a month of three calls, a week of two.
        foreach (var day in new[] { "2025-03-03", "2025-03-04", "2025-03-24" })
        {
            await app.ExecuteAsync(
                "INSERT INTO llm_usage_daily (day, tenant_id, provider, model, calls) VALUES (@day, @t, 'periods', 'm', 1) ON CONFLICT DO NOTHING",
                ("day", DateOnly.Parse(day, CultureInfo.InvariantCulture)), ("t", tenant));
        }

        using var admin = await app.SignedInAsync("admin@acme.test");
        var report = await admin.GetFromJsonAsync<UsageReport>($"/api/usage?granularity={granularity}&from={from}&to=2025-03-31", PipelineApp.Json, Ct);

        Assert.Equal(DateOnly.Parse(periodStart, CultureInfo.InvariantCulture), report!.From);
        var first = report.Rows.Where(r => r.Provider == "periods").OrderBy(r => r.Period).First();
        Assert.Equal((DateOnly.Parse(periodStart, CultureInfo.InvariantCulture), calls), (first.Period, first.Calls));
    }

    [Fact]
    public async Task ASpendCapThatCannotBeCheckedRefusesTheCallAndRecordsACriticalAuditEntry()
    {
        var tenant = await app.TenantIdAsync("globex");
        var gateway = app.Services.GetRequiredService<LlmGateway>();
        var callsBefore = await app.ScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE tenant_id = @t", ("t", tenant));

        // The month's spend cannot be read: the app role loses SELECT on the rollups for a moment.
        await AsOwnerAsync($"REVOKE SELECT ON llm_usage_daily FROM \"{app.Database.AppRole}\"");
        try
        {
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => gateway.CompleteAsync(LlmCaller.User(tenant, "tests"), Prompt, Ct));
        }
        finally
        {
            await AsOwnerAsync($"GRANT SELECT ON llm_usage_daily TO \"{app.Database.AppRole}\"");
        }

        Assert.Equal(callsBefore, await app.ScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE tenant_id = @t", ("t", tenant)));
        var events = await app.Audit.EventsAsync(tenant, e => e.Any(x => x.Action == "llm.spend_cap.enforcement_failed"));
        var entry = Assert.Single(events, x => x.Action == "llm.spend_cap.enforcement_failed");
        Assert.Equal(("critical", "spend-caps"), (entry.Severity, entry.Actor.Id));
        Assert.Contains("permission denied", entry.Error!.Message, StringComparison.OrdinalIgnoreCase);
    }

    private async Task AsOwnerAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.Database.Owner);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task SpendCapWarnsAt80And95PercentOnceAndRefusesAt100UntilThePlanChanges()
    {
        // acme is on the pro plan, whose budget these tests set to 0.01 USD.
        var tenant = await app.TenantIdAsync("acme");
        var gateway = app.Services.GetRequiredService<LlmGateway>();
        var caller = LlmCaller.User(tenant, "tests");

        app.Llm!.Usage = (1000, 0, 750);   // 0.001 + 0.0075 = 0.0085 → 85 %
        await gateway.CompleteAsync(caller, Prompt, Ct);
        Assert.Equal(new[] { 80 }, await CrossingsAsync(tenant));

        app.Llm.Usage = (1000, 0, 0);      // +0.001 → 95 %
        await gateway.CompleteAsync(caller, Prompt, Ct);
        Assert.Equal(new[] { 80, 95 }, await CrossingsAsync(tenant));

        app.Llm.Usage = (0, 0, 60);        // +0.0006 → 101 %
        await gateway.CompleteAsync(caller, Prompt, Ct);
        Assert.Equal(new[] { 80, 95, 100 }, await CrossingsAsync(tenant));

        var requestsBefore = app.Llm.Requests;
        var refused = await Assert.ThrowsAsync<SpendCapExceededException>(() => gateway.CompleteAsync(caller, Prompt, Ct));
        Assert.Contains("Spend cap reached", refused.Message);
        Assert.Equal(requestsBefore, app.Llm.Requests);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE tenant_id = @t AND outcome = 'refused_cap'", ("t", tenant)));

        // New LLM work is refused up front: no activity is accepted to die at its first stage.
        using var member = await app.SignedInAsync("member@acme.test");
        var activitiesBefore = await app.ScalarAsync<long>("SELECT count(*) FROM activities WHERE tenant_id = @t", ("t", tenant));
        var create = await member.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "Pricing pages that convert" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.PaymentRequired, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        var problem = await create.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var month = SpendCaps.MonthOf(DateTimeOffset.UtcNow).ToString("yyyy-MM");
        Assert.Equal((SpendCapProblem.Type, "Monthly LLM budget spent"), (problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString()));
        Assert.Equal((0.0101m, 0.01m, month), (problem.GetProperty("spentUsd").GetDecimal(), problem.GetProperty("budgetUsd").GetDecimal(), problem.GetProperty("month").GetString()));
        Assert.Contains($"'acme' for {month} is $0.0101 of its $0.01 budget (the pro plan's)", problem.GetProperty("detail").GetString());
        Assert.Equal(activitiesBefore, await app.ScalarAsync<long>("SELECT count(*) FROM activities WHERE tenant_id = @t", ("t", tenant)));

        var caps = await member.GetFromJsonAsync<List<TenantCapView>>("/api/usage/caps", PipelineApp.Json, Ct);
        var cap = Assert.Single(caps!);
        Assert.Equal(("acme", "over_cap", month, false), (cap.Tenant, cap.Status, cap.Month, cap.Raised));

        var events = await app.Audit.EventsAsync(tenant, e => e.Any(x => x.Action == "llm.call.refused"));
        var warnings = events.Where(e => e.Action == "llm.spend_cap.warning").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal("warning", w.Severity));
        Assert.Equal([80, 95], warnings.Select(w => w.Metadata!.Value.GetProperty("threshold").GetInt32()).Order());
        Assert.Equal("warning", Assert.Single(events, e => e.Action == "llm.spend_cap.reached").Severity);

        // A bigger plan lifts the cap: the activity is accepted and goes through.
        await app.ExecuteAsync("UPDATE tenants SET plan = 'team' WHERE id = @t", ("t", tenant));
        var created = await PipelineApp.CreateActivityAsync(member);
        await PipelineApp.WaitForStatusAsync(member, created.Id, ActivityStatus.AwaitingApproval);
        Assert.Equal(new[] { 80, 95, 100 }, await CrossingsAsync(tenant));
    }

    private async Task<int[]> CrossingsAsync(Guid tenant)
    {
        var csv = await app.ScalarAsync<string>(
            "SELECT COALESCE(string_agg(threshold::text, ',' ORDER BY threshold), '') FROM spend_cap_crossings WHERE tenant_id = @t", ("t", tenant));
        return csv.Length == 0 ? [] : [.. csv.Split(',').Select(int.Parse)];
    }
}
