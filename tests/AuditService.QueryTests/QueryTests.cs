using AuditService.Queries;

namespace AuditService.QueryTests;

public sealed class QueryTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task CursorPagesWalkTheWholeFilteredSetNewestFirstWithoutRepeats()
    {
        var tenant = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var events = Enumerable.Range(0, 25).Select(i => ReadSideFixture.Event(tenant, "ada", at: start.AddSeconds(i % 7))).ToArray();
        await app.WriteAsync(events);
        using var client = app.AsTenantAdmin(tenant);

        var seen = new List<AuditEntry>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?limit=10{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            seen.AddRange(page!.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Seq).Select(e => e.Id), seen.Select(e => e.Id));
    }

    [Fact]
    public async Task FiltersNarrowByActionPrefixSeverityActorResourceTimeAndText()
    {
        var tenant = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var old = ReadSideFixture.Event(tenant, "bob", "user.invited", at: now.AddDays(-2));
        var error = ReadSideFixture.Event(tenant, "ada", "lead.deleted", severity: "error");
        error.Description = "Deleted the 100% important lead";
        var other = ReadSideFixture.Event(tenant, "ada", "userx.created");
        await app.WriteAsync(old, error, other, ReadSideFixture.Event(tenant, "ada", "user.updated"));
        using var client = app.AsTenantAdmin(tenant);

        async Task<string[]> Actions(string query) =>
            (await client.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?{query}", Ct))!.Items.Select(e => e.Action).Order().ToArray();

        Assert.Equal(["user.invited", "user.updated"], await Actions("action=user.*"));
        Assert.Equal(["userx.created"], await Actions("action=userx.created"));
        Assert.Equal(["lead.deleted"], await Actions("severity=error"));
        Assert.Equal(["user.invited"], await Actions("actor=bob"));
        Assert.Equal(["lead.deleted"], await Actions("q=100%25 IMPORTANT"));
        Assert.Empty(await Actions("q=_mportant%25x"));
        Assert.Equal(["user.invited"], await Actions($"to={Uri.EscapeDataString(now.AddDays(-1).ToString("O"))}"));
        Assert.Equal(4, (await Actions($"resourceType=lead&resourceId=lead-{tenant:N}")).Length);
    }

    [Fact]
    public async Task SeveralSeveritiesAndActorTypesAreFiltersInTheListTheStatsAndTheExport()
    {
        var tenant = Guid.CreateVersion7();
        var warning = ReadSideFixture.Event(tenant, "ada", "lead.stale", severity: "warning");
        var critical = ReadSideFixture.Event(tenant, "ada", "lead.lost", severity: "critical");
        var agent = ReadSideFixture.Event(tenant, "writer", "lead.scored", severity: "error");
        agent.Actor!.Type = "agent";
        var key = ReadSideFixture.Event(tenant, "key-1", "lead.imported");
        key.Actor!.Type = "api_key";
        await app.WriteAsync(warning, critical, agent, key, ReadSideFixture.Event(tenant, "ada", "lead.viewed"));
        using var client = app.AsTenantAdmin(tenant);

        async Task<string[]> Actions(string query) =>
            (await client.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?{query}", Ct))!.Items.Select(e => e.Action).Order().ToArray();

        // "Errors only" on the page: warnings, errors and critical entries, critical included.
        Assert.Equal(["lead.lost", "lead.scored", "lead.stale"], await Actions("severity=warning&severity=error&severity=critical"));
        Assert.Equal(["lead.lost"], await Actions("severity=critical"));
        Assert.Equal(["lead.scored"], await Actions("actorType=agent"));
        Assert.Equal(["lead.imported", "lead.scored"], await Actions("actorType=agent&actorType=api_key"));
        Assert.Equal(["lead.lost", "lead.stale", "lead.viewed"], await Actions("actorType=human"));

        var stats = await client.GetFromJsonAsync<AuditStats>("/api/v1/audit-events/stats?severity=warning&severity=critical&actorType=human", Ct);
        Assert.Equal(2, stats!.Total);
        Assert.Equal(1, stats.BySeverity["critical"]);
        Assert.Equal(0, stats.BySeverity["error"]);

        var export = await client.GetStringAsync("/api/v1/audit-events/export?format=ndjson&actorType=api_key", Ct);
        var line = Assert.Single(export.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("lead.imported", JsonDocument.Parse(line).RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public async Task AnEntryCarriesItsFieldDiffAndTraceLinksOnlyWhenItHasATraceId()
    {
        var tenant = Guid.CreateVersion7();
        var traced = ReadSideFixture.Event(tenant, "ada");
        var untraced = ReadSideFixture.Event(tenant, "ada", traceId: null);
        await app.WriteAsync(traced, untraced);
        using var client = app.AsTenantAdmin(tenant);

        var detail = await client.GetFromJsonAsync<AuditEntryDetail>($"/api/v1/audit-events/{traced.Id}", Ct);
        Assert.Equal([("$.owner", "added"), ("$.stage", "changed")], detail!.Changes.Select(c => (c.Path, c.Change)));
        Assert.Equal("won", detail.Changes[1].After!.Value.GetString());
        Assert.StartsWith("http://grafana.test:3000/explore?", detail.Entry.Links!.Trace);
        Assert.Contains(traced.TraceId!, Uri.UnescapeDataString(detail.Entry.Links.Trace));
        Assert.Contains("\"uid\":\"tempo\"", Uri.UnescapeDataString(detail.Entry.Links.Trace));
        Assert.Contains($"trace_id=\\\"{traced.TraceId}\\\"", Uri.UnescapeDataString(detail.Entry.Links.Logs));
        Assert.Contains("\"uid\":\"loki\"", Uri.UnescapeDataString(detail.Entry.Links.Logs));

        var plain = await client.GetFromJsonAsync<AuditEntryDetail>($"/api/v1/audit-events/{untraced.Id}", Ct);
        Assert.Null(plain!.Entry.Links);
    }

    [Fact]
    public async Task StatsCountTheLastDayBySeverityWithTopActionsAndActors()
    {
        var tenant = Guid.CreateVersion7();
        var named = ReadSideFixture.Event(tenant, "user-7", "lead.viewed");
        named.Actor!.Name = "Ada Lovelace";
        await app.WriteAsync(
            ReadSideFixture.Event(tenant, "ada", "lead.created"), ReadSideFixture.Event(tenant, "ada", "lead.created"), named,
            ReadSideFixture.Event(tenant, "bob", "lead.deleted", severity: "error"),
            ReadSideFixture.Event(tenant, "bob", "lead.created", at: DateTimeOffset.UtcNow.AddDays(-3)));
        using var client = app.AsTenantAdmin(tenant);

        var stats = await client.GetFromJsonAsync<AuditStats>("/api/v1/audit-events/stats", Ct);

        Assert.Equal(4, stats!.Total);
        Assert.Equal(3, stats.BySeverity["info"]);
        Assert.Equal(1, stats.BySeverity["error"]);
        Assert.Equal(new CountBy("lead.created", 2), stats.TopActions[0]);
        Assert.Equal(new CountBy("ada", 2, "ada"), stats.TopActors[0]);
        Assert.Contains(new CountBy("user-7", 1, "Ada Lovelace"), stats.TopActors);
        Assert.Null(stats.TopActions[0].Label);
        Assert.Equal(3, stats.DistinctActors);
    }

    [Fact]
    public async Task StatsCountEveryDistinctActorNotOnlyTheTenShownAsTop()
    {
        var tenant = Guid.CreateVersion7();
        await app.WriteAsync([.. Enumerable.Range(1, 12).Select(i => ReadSideFixture.Event(tenant, $"person-{i}", "lead.viewed"))]);
        using var client = app.AsTenantAdmin(tenant);

        var stats = await client.GetFromJsonAsync<AuditStats>("/api/v1/audit-events/stats", Ct);

        Assert.Equal(10, stats!.TopActors.Count);
        Assert.Equal(12, stats.DistinctActors);
    }

    [Fact]
    public async Task CsvExportQuotesFieldsAndDefusesFormulas()
    {
        var tenant = Guid.CreateVersion7();
        var e = ReadSideFixture.Event(tenant, "ada");
        e.Description = "=HYPERLINK(\"x\"), then\r\nmore";
        await app.WriteAsync(e);
        using var client = app.AsTenantAdmin(tenant);

        var response = await client.GetAsync("/api/v1/audit-events/export?format=csv", Ct);
        var csv = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("id,tenant_id,seq,", csv);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\"), then\r\nmore\"", csv);
    }

    [Fact]
    public async Task NdjsonExportLinesAreTheListsEntriesSerializedByteForByte()
    {
        var tenant = Guid.CreateVersion7();
        var full = ReadSideFixture.Event(tenant, "ada", at: DateTimeOffset.UtcNow.AddMinutes(-3));
        full.Metadata = JsonDocument.Parse("""{"note": "a b, c: d", "tags": [1, 2.5, "x y"], "nested": {"k": null, "t": true}}""").RootElement;
        full.Error = new Audit.Contracts.ErrorDto { Message = "It failed, \"badly\" <here>", Stack = "at X\n  at Y" };
        full.Description = "Caf\u00e9 & \"quotes\"";
        var bare = ReadSideFixture.Event(tenant, "bob", traceId: null, at: DateTimeOffset.UtcNow.AddMinutes(-2));
        (bare.Resource, bare.Before, bare.After) = (null, null, null);
        var odd = ReadSideFixture.Event(tenant, "eve", at: DateTimeOffset.UtcNow.AddMinutes(-1));
        odd.After = JsonDocument.Parse("""{"name": "Caf\u00e9 \"quoted\" \\ back"}""").RootElement;
        await app.WriteAsync(full, bare, odd);
        using var client = app.AsTenantAdmin(tenant);

        // Before the export wrote rows straight through, its lines were the list's entries serialized with the web defaults.
        var page = await client.GetFromJsonAsync<AuditEntryPage>("/api/v1/audit-events", Ct);
        var expected = page!.Items.Select(e => JsonSerializer.Serialize(e, JsonSerializerOptions.Web)).ToArray();
        var exported = await client.GetStringAsync("/api/v1/audit-events/export?format=ndjson", Ct);
        var lines = exported.Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal(expected[1..], lines[1..3]);

        // A stored state's strings keep PostgreSQL's escaping (\" rather than \u0022, é as is): the same JSON, other bytes.
        Assert.NotEqual(expected[0], lines[0]);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected[0]), System.Text.Json.Nodes.JsonNode.Parse(lines[0])));
    }

    [Fact]
    public async Task ReadingAnotherTenantsLogIsItselfAudited()
    {
        var tenant = Guid.CreateVersion7();
        var e = ReadSideFixture.Event(tenant, "ada");
        await app.WriteAsync(e);
        using var support = app.WithToken(app.Tokens.Issue("helper-7", "support", supportTenants: [tenant]));
        (await support.GetAsync($"/api/v1/audit-events/{e.Id}", Ct)).EnsureSuccessStatusCode();

        using var admin = app.AsTenantAdmin(tenant);
        var page = await admin.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?action={ReadAuditor.ViewedAction}", Ct);
        var viewed = Assert.Single(page!.Items);
        Assert.Equal("helper-7", viewed.Actor.Id);
        Assert.Equal(tenant, viewed.TenantId);

        // The tenant's own admin reading leaves no such entry.
        await admin.GetAsync($"/api/v1/audit-events/{e.Id}", Ct);
        var again = await admin.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?action={ReadAuditor.ViewedAction}", Ct);
        Assert.Single(again!.Items);
    }

    [Fact]
    public async Task RepeatReadsWithinTheWindowAddNoEntryWhileAReadOfANewTenantDoes()
    {
        var (first, second) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await app.WriteAsync(ReadSideFixture.Event(first, "ada"), ReadSideFixture.Event(second, "bob"));
        using var support = app.WithToken(app.Tokens.Issue("helper-9", "support", supportTenants: [first, second]));

        async Task<int> Viewed(Guid tenant)
        {
            using var admin = app.AsTenantAdmin(tenant);
            return (await admin.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?action={ReadAuditor.ViewedAction}", Ct))!.Items.Count;
        }

        // At once, as the Dashboard's two renders of a page do: one entry, already committed when the answers come.
        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => support.GetAsync($"/api/v1/audit-events?tenant={first}", Ct)));
        Assert.All(reads, r => r.EnsureSuccessStatusCode());
        Assert.Equal(1, await Viewed(first));
        (await support.GetAsync($"/api/v1/audit-events/stats?tenant={first}", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(1, await Viewed(first));
        Assert.Equal(0, await Viewed(second));

        (await support.GetAsync($"/api/v1/audit-events?tenant={second}", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(1, await Viewed(second));
        Assert.Equal(1, await Viewed(first));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("category=secret", "category")]
    [InlineData("severity=loud", "severity")]
    [InlineData("severity=warning&severity=loud", "severity")]
    [InlineData("severity=warning,error", "severity")]
    [InlineData("actorType=robot", "actorType")]
    [InlineData("action=us*er", "action")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task BadFiltersAnswer400NamingTheField(string query, string field)
    {
        using var client = app.WithToken(app.Tokens.Issue("root", "super_admin"));
        var response = await client.GetAsync($"/api/v1/audit-events?{query}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task TokensNotSignedByTheApiOrForAnotherIssuerAreRefused()
    {
        var stranger = app.Tokens.IssueSignedByAStranger("root", "super_admin");
        var wrongIssuer = app.Tokens.Issue("root", "super_admin", issuer: "someone-else");
        foreach (var token in new[] { stranger, wrongIssuer, "not.a.token" })
        {
            using var client = app.WithToken(token);
            var response = await client.GetAsync("/api/v1/audit-events", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/audit-events", Ct)).StatusCode);
        using var unknownRole = app.WithToken(app.Tokens.Issue("x", "janitor", Guid.CreateVersion7()));
        Assert.Equal(HttpStatusCode.Forbidden, (await unknownRole.GetAsync("/api/v1/audit-events", Ct)).StatusCode);
    }
}
