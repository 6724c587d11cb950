using System.Net.Http.Headers;
using System.Text.Json;
using Api.Llm;
using Api.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Api.PipelineTests;

/// <summary>What people see of a spend cap: notifications, the outbox's mail, the 402 up front, and a super admin's raise.</summary>
public sealed class SpendCapTests(SpendCapApp app) : IClassFixture<SpendCapApp>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Say hi")];

    [Fact]
    public async Task EachCrossingNotifiesTheTenantsAdminsAndMailsTheSpendAlertAddressOnce()
    {
        var (tenant, owner) = await SignUpAsync("notified");
        (await owner.PutAsJsonAsync($"/api/tenants/{tenant}/settings", new { spendAlertEmail = "billing@notified.test" }, Ct)).EnsureSuccessStatusCode();

        await SpendAsync(tenant, (1000, 0, 750));   // 0.0085 of 0.01 → 85 %
        await SpendAsync(tenant, (0, 0, 160));      // +0.0016 → 101 %
        await SpendAsync(tenant, (0, 0, 0), refused: true);

        var notes = (await owner.GetFromJsonAsync<NotificationList>("/api/notifications", PipelineApp.Json, Ct))!.Items
            .Where(n => n.AlertName == SpendAlert.AlertName).ToList();
        Assert.Equal(3, notes.Count);
        Assert.All(notes, n => Assert.Equal((tenant, "firing", false), (n.TenantId!.Value, n.Status, n.Read)));
        Assert.Contains(notes, n => n.Summary.EndsWith(": 80% of the monthly LLM budget is spent") && n.Severity == "warning");
        Assert.Contains(notes, n => n.Summary.EndsWith(": 95% of the monthly LLM budget is spent") && n.Severity == "critical");
        var reached = Assert.Single(notes, n => n.Summary.EndsWith(": the monthly LLM budget is spent"));
        Assert.Contains("$0.0101 spent", reached.Description);

        // Another tenant's admin sees none of them; a super admin sees them all.
        using var other = await app.SignedInAsync("admin@acme.test");
        Assert.DoesNotContain((await other.GetFromJsonAsync<NotificationList>("/api/notifications", PipelineApp.Json, Ct))!.Items, n => n.TenantId == tenant);
        using var root = await app.SignedInAsync("root@platform.test");
        Assert.Equal(3, (await root.GetFromJsonAsync<NotificationList>("/api/notifications", PipelineApp.Json, Ct))!.Items.Count(n => n.TenantId == tenant));

        // One mail per crossing, sent by the sink as an .eml file, marked sent after one attempt.
        await Until(async () => await app.ScalarAsync<long>(
            "SELECT count(*) FROM mail_outbox WHERE tenant_id = @t AND sent_at IS NOT NULL AND attempts = 1 AND last_error IS NULL", ("t", tenant)) == 3);
        Assert.Equal(3L, await app.ScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE tenant_id = @t", ("t", tenant)));
        var mails = MailsTo("billing@notified.test");
        Assert.Equal(3, mails.Count);
        Assert.All(mails, m => Assert.Equal("alerts@localhost", ((MailboxAddress)m.From.Single()).Address));
        var last = Assert.Single(mails, m => m.Subject!.EndsWith(": the monthly LLM budget is spent"));
        Assert.Contains("Spent: $0.0101", last.TextBody);
        Assert.Contains("Budget: $0.01 (the free plan's)", last.TextBody);
    }

    [Fact]
    public async Task AMailThatCannotBeSentStaysInTheOutboxWithItsErrorAndGoesOutOnceItCan()
    {
        var (tenant, owner) = await SignUpAsync("retried");
        (await owner.PutAsJsonAsync($"/api/tenants/{tenant}/settings", new { spendAlertEmail = "billing@retried.test" }, Ct)).EnsureSuccessStatusCode();
        var failedBefore = await MetricAsync("mail_send_failures_total");
        var sentBefore = await MetricAsync("mail_sent_total");

        // A file where the sink's folder should be: every send fails until it is gone.
        var parked = app.MailSink + ".parked";
        if (Directory.Exists(app.MailSink))
        {
            Directory.Move(app.MailSink, parked);
        }

        await File.WriteAllTextAsync(app.MailSink, "not a folder", Ct);
        try
        {
            await SpendAsync(tenant, (1000, 0, 750));
            await Until(async () => await app.ScalarAsync<long>(
                "SELECT count(*) FROM mail_outbox WHERE tenant_id = @t AND attempts >= 2 AND sent_at IS NULL AND last_error IS NOT NULL",
                ("t", tenant)) == 1, 30);

            // What an SRE sees meanwhile: refused attempts by transport on /metrics, and a mail waiting. The gauges are
            // read from this Api's own instruments: other test hosts in this process export gauges of the same name.
            var backlog = app.Services.GetRequiredService<Api.Mail.MailMetrics>();
            await Until(async () => await MetricAsync("mail_send_failures_total", "mail_transport=\"file\"") >= failedBefore + 2
                && backlog.Backlog is { Pending: >= 1, Oldest: not null }, 30);
        }
        finally
        {
            File.Delete(app.MailSink);
            if (Directory.Exists(parked))
            {
                Directory.Move(parked, app.MailSink);
            }
        }

        await Until(async () => await app.ScalarAsync<long>(
            "SELECT count(*) FROM mail_outbox WHERE tenant_id = @t AND sent_at IS NOT NULL AND attempts >= 3 AND last_error IS NULL", ("t", tenant)) == 1, 30);
        Assert.Single(MailsTo("billing@retried.test"));
        await Until(async () => await MetricAsync("mail_sent_total", "mail_transport=\"file\"") >= sentBefore + 1
            && app.Services.GetRequiredService<Api.Mail.MailMetrics>().Backlog is { Pending: 0, Oldest: null }, 30);
    }

    [Fact]
    public async Task ASuperAdminRaisesTheCapForTheMonthAndNewWorkIsAcceptedAgain()
    {
        var (tenant, owner) = await SignUpAsync("raised");
        await SpendAsync(tenant, (1000, 0, 1000));  // 0.011 of 0.01 → 110 %
        Assert.Equal(HttpStatusCode.PaymentRequired, (await CreateAsync(owner)).StatusCode);

        // A dead-lettered activity is not retried while the budget is spent either.
        var dead = Guid.CreateVersion7();
        await app.ExecuteAsync("INSERT INTO activities (id, tenant_id, kind, input, status, created_by) VALUES (@id, @t, 'research_topics', 'x', 'dead_letter', 'test')",
            ("id", dead), ("t", tenant));
        Assert.Equal(HttpStatusCode.PaymentRequired, (await owner.PostAsync($"/api/activities/{dead}/retry", null, Ct)).StatusCode);

        using var root = await app.SignedInAsync("root@platform.test");
        var raise = await root.PutAsJsonAsync($"/api/usage/caps/{tenant}/month", new { budgetUsd = 0.05m, reason = "Launch week" }, Ct);
        Assert.Equal(HttpStatusCode.OK, raise.StatusCode);
        var view = (await raise.Content.ReadFromJsonAsync<TenantCapView>(PipelineApp.Json, Ct))!;
        Assert.Equal((0.05m, 0.011m, true, "ok"), (view.BudgetUsd, view.SpentUsd, view.Raised, view.Status));
        Assert.Equal(0.05m, await app.ScalarAsync<decimal>("SELECT budget_usd FROM spend_cap_overrides WHERE tenant_id = @t", ("t", tenant)));
        // The crossings the new budget puts out of reach are re-armed: 22 % of 0.05 has crossed none.
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM spend_cap_crossings WHERE tenant_id = @t", ("t", tenant)));

        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(owner)).StatusCode);
        (await owner.PostAsync($"/api/activities/{dead}/retry", null, Ct)).EnsureSuccessStatusCode();
        var caps = await owner.GetFromJsonAsync<List<TenantCapView>>("/api/usage/caps?minUtilization=0", PipelineApp.Json, Ct);
        Assert.Equal((0.05m, true), (caps!.Single().BudgetUsd, caps!.Single().Raised));

        var events = await app.Audit.EventsAsync(tenant, e => e.Any(x => x.Action == "llm.spend_cap.raised"));
        var entry = Assert.Single(events, e => e.Action == "llm.spend_cap.raised");
        Assert.Equal(("human", "root@platform.test"), (entry.Actor.Type, entry.Actor.Email));
        Assert.Equal((0.01m, false), (entry.Before!.Value.GetProperty("budgetUsd").GetDecimal(), entry.Before.Value.GetProperty("raised").GetBoolean()));
        Assert.Equal((0.05m, "Launch week"), (entry.After!.Value.GetProperty("budgetUsd").GetDecimal(), entry.After.Value.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task RaisingACapIsForSuperAdminsAndBadAmountsAreProblemsNamingTheField()
    {
        var (tenant, owner) = await SignUpAsync("guarded");
        await SpendAsync(tenant, (1000, 0, 1000));  // 0.011 spent, plan budget 0.01

        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PutAsJsonAsync($"/api/usage/caps/{tenant}/month", new { budgetUsd = 1m, reason = "mine" }, Ct)).StatusCode);

        using var root = await app.SignedInAsync("root@platform.test");
        await AssertFieldProblemAsync(root, tenant, new { budgetUsd = -1m, reason = "x" }, "budgetUsd", "above 0");
        await AssertFieldProblemAsync(root, tenant, new { reason = "x" }, "budgetUsd", "is required");
        await AssertFieldProblemAsync(root, tenant, new { budgetUsd = 5_000_000m, reason = "x" }, "budgetUsd", "at most 1000000");
        await AssertFieldProblemAsync(root, tenant, new { budgetUsd = 1m, reason = " " }, "reason", "is required");
        await AssertFieldProblemAsync(root, tenant, new { budgetUsd = 0.005m, reason = "x" }, "budgetUsd", "at least the free plan's budget of $0.01");
        await AssertFieldProblemAsync(root, tenant, new { budgetUsd = 0.0105m, reason = "x" }, "budgetUsd", "above this month's spend of $0.011");
        Assert.Equal(HttpStatusCode.NotFound, (await root.PutAsJsonAsync($"/api/usage/caps/{Guid.NewGuid()}/month", new { budgetUsd = 1m, reason = "x" }, Ct)).StatusCode);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM spend_cap_overrides WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task CostPerAgentRoleAndPerRouteComesFromTheTenantsCallRecords()
    {
        var (tenant, owner) = await SignUpAsync("broken-down");
        await SpendAsync(tenant, (1000, 0, 100));   // a person's direct call: 0.002
        app.Llm!.Usage = (100, 0, 10);              // each agent stage: 0.0002
        var created = await (await CreateAsync(owner)).Content.ReadFromJsonAsync<PipelineActivity>(PipelineApp.Json, Ct);
        await PipelineApp.WaitForStatusAsync(owner, created!.Id, ActivityStatus.AwaitingApproval);

        var breakdown = (await owner.GetFromJsonAsync<CostBreakdown>("/api/usage/breakdown?days=7", PipelineApp.Json, Ct))!;
        Assert.Equal(7, breakdown.Days);
        Assert.Equal([("user", 1L, 0.002m), ("researcher", 1L, 0.0002m), ("reviewer", 1L, 0.0002m)],
            breakdown.ByAgentRole.Select(r => (r.Name, r.Calls, r.CostUsd)));
        Assert.Equal([("direct", 1L, 0.002m), ("research_topics", 2L, 0.0004m)], breakdown.ByRoute.Select(r => (r.Name, r.Calls, r.CostUsd)));

        // Another tenant's admin sees none of it; a bad window is a problem naming the field.
        using var other = await app.SignedInAsync("admin@acme.test");
        var theirs = (await other.GetFromJsonAsync<CostBreakdown>("/api/usage/breakdown", PipelineApp.Json, Ct))!;
        Assert.DoesNotContain(theirs.ByRoute, r => r.Name == "direct");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/usage/breakdown?tenantId={tenant}", Ct)).StatusCode);
        var bad = await owner.GetAsync("/api/usage/breakdown?days=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("days", out _));
    }

    private static async Task AssertFieldProblemAsync(HttpClient client, Guid tenant, object body, string field, string reason)
    {
        var response = await client.PutAsJsonAsync($"/api/usage/caps/{tenant}/month", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    private async Task SpendAsync(Guid tenant, (int Prompt, int Cached, int Completion) usage, bool refused = false)
    {
        app.Llm!.Usage = usage;
        var call = app.Services.GetRequiredService<LlmGateway>().CompleteAsync(LlmCaller.User(tenant, "tests"), Prompt, Ct);
        if (refused)
        {
            await Assert.ThrowsAsync<SpendCapExceededException>(() => call);
        }
        else
        {
            await call;
        }
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "Pricing pages that convert" }, Ct);

    /// <summary>A new tenant on the free plan (budget one cent here) with its owner, a tenant admin, signed in.</summary>
    [Fact]
    public async Task TheBudgetGaugesFollowTheDatabaseNotOnlyThisApisLastCall()
    {
        var (tenant, _) = await SignUpAsync("gauged");
        var slug = await app.ScalarAsync<string>("SELECT slug FROM tenants WHERE id = @t", ("t", tenant));

        // Spend this Api never saw a call for (another replica's, or before a restart): only the database knows it.
        await app.ExecuteAsync(
            "INSERT INTO llm_usage_daily (day, tenant_id, provider, model, calls, cost_usd) VALUES (@day, @t, 'elsewhere', 'm', 1, 0.004)",
            ("day", DateOnly.FromDateTime(DateTime.UtcNow)), ("t", tenant));

        await Until(async () => Math.Abs(await MetricAsync("llm_spend_month_usd", $"tenant=\"{slug}\"") - 0.004) < 1e-9);
        Assert.Equal(0.4, await MetricAsync("llm_budget_utilization", $"tenant=\"{slug}\""), 6);
    }

    private async Task<(Guid Tenant, HttpClient Owner)> SignUpAsync(string name)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var owner = app.CreateClient();
        var signUp = await owner.PostAsJsonAsync("/api/auth/sign-up",
            new SignUpRequest($"owner-{suffix}@{name}.test", PipelineApp.Password, $"{name} owner", $"{name} {suffix}"), Ct);
        signUp.EnsureSuccessStatusCode();
        var token = (await signUp.Content.ReadFromJsonAsync<TokenResponse>(PipelineApp.Json, Ct))!;
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return (token.User.TenantId!.Value, owner);
    }

    private List<MimeMessage> MailsTo(string address) =>
        [.. Directory.Exists(app.MailSink)
            ? Directory.GetFiles(app.MailSink, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.To.Mailboxes.Any(x => x.Address == address))
            : []];

    /// <summary>The sum of a series' samples on the Api's /metrics, over the series whose labels contain <paramref name="label"/>.</summary>
    private async Task<double> MetricAsync(string name, string label = "")
    {
        var text = await app.CreateClient().GetStringAsync("/metrics", Ct);
        return text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task Until(Func<Task<bool>> condition, int seconds = 10) =>
        await Testing.Eventually.Async(async () => await condition() ? (bool?)true : null, seconds);
}
