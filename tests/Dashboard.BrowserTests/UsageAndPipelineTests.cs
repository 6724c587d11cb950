using System.Globalization;

namespace Dashboard.BrowserTests;

public sealed class UsageAndPipelineTests(BrowserSystem system)
{
    [Fact]
    public async Task ASpendCapWarningShowsOnTheUsagePage()
    {
        // A new tenant on the free plan, whose budget this system runs with is a fraction of a cent.
        using var capped = await system.SignUpAsync("capped");
        var slug = capped.Slug;
        await CreateActivityAsync(capped.Owner, "draft_article");

        using var admin = await system.ApiClientForAsync("admin@platform.local");
        var cap = await Eventually.Async(async () =>
        {
            var caps = await admin.GetFromJsonAsync<JsonElement>("/api/usage/caps");
            return caps.EnumerateArray().Where(c => c.GetProperty("tenant").GetString() == slug && c.GetProperty("utilization").GetDouble() >= 0.8)
                .Select(c => (JsonElement?)c).FirstOrDefault();
        }, 90);
        Assert.True(cap!.Value.GetProperty("utilization").GetDouble() >= 0.8);

        await using var session = await system.SignInAtAsync("/usage", "admin@platform.local");
        var row = session.Page.Locator($"[data-testid=cap-row][data-tenant='{slug}']");
        await row.WaitForAsync();
        var status = (await row.Locator("[data-testid=cap-status]").InnerTextAsync()).Trim();
        Assert.Contains(status, new[] { "warning", "critical", "over_cap" });
        await session.ScreenshotAsync("usage-spend-cap");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnActivitysPageIsItsDebuggerAndApprovalCompletesIt()
    {
        await using var activity = await OpenAwaitingActivityAsync();
        var session = activity.Session;
        Assert.Equal(2, await session.Page.Locator("[data-testid=llm-calls] tbody tr").CountAsync());
        await session.ScreenshotAsync("activity-awaiting-approval");
        await session.Page.ClickAsync("[data-testid=approve]");
        await session.Page.Locator("[data-testid=activity-status]", new() { HasText = "completed" }).WaitForAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheDebuggerFollowsAnActivityByItselfAndADoneActivityShowsItsStageRuns()
    {
        await using var activity = await OpenAwaitingActivityAsync();
        var session = activity.Session;
        await session.Page.EvaluateAsync("() => window.__sameDocument = true");

        // Someone else approves: the open page shows it without a reload.
        (await activity.Acme.PostAsJsonAsync($"/api/activities/{activity.Id}/approve", new { note = "from elsewhere" })).EnsureSuccessStatusCode();
        await session.Page.Locator("[data-testid=activity-status]", new() { HasText = "completed" }).WaitForAsync(new() { Timeout = 20_000 });
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        var progress = (await session.Page.Locator("[data-testid=activity-progress]").InnerTextAsync()).Trim();
        Assert.Equal("2 stage runs, 0 retries", progress);
        Assert.DoesNotContain("attempts", await session.Page.Locator("[data-testid=activity-summary]").InnerTextAsync());
        Assert.Equal(0, await session.Page.Locator("[data-testid=activity-live]").CountAsync());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ARetriedActivitysNewStageRunsAppearOnItsOpenPage()
    {
        // A new tenant on the free plan, whose budget this system runs with is a fraction of a cent: two activities started
        // together spend it within their first stages, and a later stage of at least one is refused and dead-lettered.
        using var retried = await system.SignUpAsync("retried");
        var owner = retried.Owner;
        Guid[] ids = [await CreateActivityAsync(owner, "draft_article"), await CreateActivityAsync(owner, "draft_article")];
        var found = await Eventually.Async(async () =>
        {
            var details = await Task.WhenAll(ids.Select(i => owner.GetFromJsonAsync<JsonElement>($"/api/activities/{i}")));
            var dead = details.FirstOrDefault(d => d.GetProperty("activity").GetProperty("status").GetString() == "dead_letter");
            return dead.ValueKind == JsonValueKind.Undefined ? ((Guid, int)?)null
                : (dead.GetProperty("activity").GetProperty("id").GetGuid(), dead.GetProperty("timeline").GetArrayLength());
        }, 90);
        var (id, runs) = found!.Value;

        await using var session = await system.SignInAtAsync($"/pipeline/{id}", retried.Email, retried.Password);
        var timeline = session.Page.Locator("[data-testid=timeline] .mud-timeline-item");
        await Eventually.Async(async () => await timeline.CountAsync() == runs ? (bool?)true : null, 20);
        await session.Page.EvaluateAsync("() => window.__sameDocument = true");

        // While the budget is spent a retry is refused up front; once a super admin raises the cap, it runs again.
        Assert.Equal(System.Net.HttpStatusCode.PaymentRequired, (await owner.PostAsync($"/api/activities/{id}/retry", null)).StatusCode);
        using var admin = await system.ApiClientForAsync("admin@platform.local");
        (await admin.PutAsJsonAsync($"/api/usage/caps/{retried.Id}/month", new { budgetUsd = 10m, reason = "Retry test" })).EnsureSuccessStatusCode();
        (await owner.PostAsync($"/api/activities/{id}/retry", null)).EnsureSuccessStatusCode();
        await Eventually.Async(async () => await timeline.CountAsync() > runs ? (bool?)true : null, 30);
        await session.Page.Locator("[data-testid=activity-status]", new() { HasText = "awaiting approval" }).WaitForAsync(new() { Timeout = 30_000 });
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task OverviewActiveUsersCountsEveryPersonWhoActedInTheLastDayNotOnlyTheTopTen()
    {
        var acme = await system.AcmeAsync();
        await system.WritePeopleAsync(acme, "person", 12);

        await using var session = await system.SignInAtAsync("/overview", "admin@platform.local");
        var value = session.Page.Locator("[data-testid=active-users] [data-testid=value]");
        var shown = await Eventually.Async(async () =>
            int.TryParse(await value.InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? (int?)n : null);
        Assert.True(shown >= 12, $"the card shows {shown} active users; at least the 12 people just written acted");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ThePipelinesTimesShowInTheTenantsZoneWithUtcOnHover()
    {
        using var zoned = await system.SignUpAsync("zonedpipe");
        (await zoned.Owner.PutAsJsonAsync($"/api/tenants/{zoned.Id}/settings", new { timezone = "Asia/Kolkata" })).EnsureSuccessStatusCode();
        var id = await CreateActivityAsync(zoned.Owner, "research_topics");
        await WaitForStatusAsync(zoned.Owner, id, "awaiting_approval");
        var createdAt = (await zoned.Owner.GetFromJsonAsync<JsonElement>($"/api/activities/{id}")).GetProperty("activity").GetProperty("createdAt").GetDateTimeOffset();

        // The browser says Los Angeles; the tenant's setting wins, as on the audit log.
        await using var session = await system.SignInAsync(zoned.Email, zoned.Password, "America/Los_Angeles");
        await session.GotoAsync("/pipeline");
        var time = session.Page.Locator("[data-testid=activities] tbody tr td time").First;
        await time.WaitForAsync();
        Assert.Equal(createdAt.ToOffset(TimeSpan.FromHours(5.5)).ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture), (await time.InnerTextAsync()).Trim());
        Assert.StartsWith(createdAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), await time.GetAttributeAsync("title"));

        // The approval backlog's "oldest waiting since" too (it said UTC).
        var oldest = session.Page.Locator("[data-testid=approval-backlog] [data-testid=hint] time");
        var utc = DateTimeOffset.ParseExact((await oldest.GetAttributeAsync("title"))!, "yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(utc.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), (await oldest.InnerTextAsync()).Trim());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task OverviewPipelineHealthIsTheLastHoursStageSuccessRateWithTheDeadLettersBeside()
    {
        using var acme = await system.ApiClientForAsync("admin@acme.local");
        await WaitForStatusAsync(acme, await CreateActivityAsync(acme, "research_topics"), "awaiting_approval");
        using var admin = await system.ApiClientForAsync("admin@platform.local");

        await using var session = await system.SignInAtAsync("/overview", "admin@platform.local");
        var card = session.Page.Locator("[data-testid=pipeline-health]");
        // Other tests run at the same time: the page and the Api agree once a read of each falls between two changes.
        await Eventually.Async(async () =>
        {
            await session.Page.ReloadAsync();
            var state = await admin.GetFromJsonAsync<JsonElement>("/api/pipeline/state");
            var (finished, succeeded) = (state.GetProperty("lastHour").GetProperty("finished").GetInt64(), state.GetProperty("lastHour").GetProperty("succeeded").GetInt64());
            var dead = state.GetProperty("byStatus").GetProperty("dead_letter").GetInt64();
            var value = (await card.Locator("[data-testid=value]").InnerTextAsync()).Trim();
            var hint = (await card.Locator("[data-testid=hint]").InnerTextAsync()).Trim();
            var deadText = (await card.Locator("[data-testid=dead-letters]").InnerTextAsync()).Trim();
            return finished > 0 && value == $"{100.0 * succeeded / finished:0.#} %" && hint == $"{succeeded:N0} of {finished:N0} stage runs succeeded"
                && deadText == (dead == 1 ? "1 dead letter" : $"{dead:N0} dead letters") ? (bool?)true : null;
        }, 60);
        Assert.NotEqual("0 %", (await card.Locator("[data-testid=value]").InnerTextAsync()).Trim());
        await session.ScreenshotAsync("overview-pipeline-health");
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>An acme activity waiting for approval, open on its page as acme's admin.</summary>
    private async Task<OpenActivity> OpenAwaitingActivityAsync()
    {
        var acme = await system.ApiClientForAsync("admin@acme.local");
        var id = await CreateActivityAsync(acme, "research_topics");
        await WaitForStatusAsync(acme, id, "awaiting_approval");
        var session = await system.SignInAtAsync($"/pipeline/{id}", "admin@acme.local");
        await session.Page.Locator("[data-testid=awaiting-approval]").WaitForAsync();
        return new OpenActivity(id, acme, session);
    }

    /// <summary>An activity open in acme's admin's browser, with that admin's Api client; disposing closes both.</summary>
    private sealed record OpenActivity(Guid Id, HttpClient Acme, SignedInPage Session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Acme.Dispose();
            await Session.DisposeAsync();
        }
    }

    internal static async Task<Guid> CreateActivityAsync(HttpClient api, string kind)
    {
        var created = await api.PostAsJsonAsync("/api/activities", new { kind, input = "Pricing pages that convert" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    internal static async Task<JsonElement> WaitForStatusAsync(HttpClient api, Guid id, string status)
    {
        var detail = await Eventually.Async(async () =>
        {
            var detail = await api.GetFromJsonAsync<JsonElement>($"/api/activities/{id}");
            return detail.GetProperty("activity").GetProperty("status").GetString() == status ? (JsonElement?)detail : null;
        }, 90);
        return detail!.Value;
    }
}
