namespace AuditService.FunctionalTests;

/// <summary>
/// An event id is stored at most once per tenant: a resend with the same content is a duplicate, one whose content
/// differs is a conflict (409, nothing of the request stored), and the answer for a batch is always the truth.
/// </summary>
public sealed class IdempotencyTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task AResendWithTheSameContentIsADuplicateAndOneWithOtherContentIsAConflictStoredNowhere()
    {
        var original = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        var first = await PostAsync(original);
        var same = await PostAsync(original);

        var laterTime = Copy(original);
        laterTime.OccurredAt = original.OccurredAt!.Value.AddMilliseconds(1);
        var otherCategory = Copy(original);
        otherCategory.Category = "activity";
        var otherDescription = Copy(original);
        otherDescription.Description = "Lead created (edited on resend)";

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(new IngestResult(original.Id!.Value, IngestStatus.Duplicate, 1),
            Assert.Single((await same.Content.ReadFromJsonAsync<IngestResponse>(Ct))!.Results));
        foreach (var resend in new[] { laterTime, otherCategory, otherDescription })
        {
            var response = await PostAsync(resend);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("id", problem.GetProperty("field").GetString());
        }

        Assert.Equal(1, await StoredCountAsync(original.Id!.Value));
    }

    [Fact]
    public async Task ABatchWithOneConflictingEventStoresNoneOfItsEvents()
    {
        var tenant = Guid.CreateVersion7();
        var stored = AuditServiceFixture.NewEvent(tenant);
        await PostAsync(stored);
        var changed = Copy(stored);
        changed.Severity = "critical";
        var fresh = AuditServiceFixture.NewEvent(tenant);

        var response = await app.Writer.PostAsJsonAsync("/api/v1/events", new[] { fresh, changed }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("[1].id", out _));
        Assert.Equal(0, await StoredCountAsync(fresh.Id!.Value));
    }

    [Fact]
    public async Task TheSameIdIsStoredOncePerTenantNotOnceOverall()
    {
        var e = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        var other = Copy(e);
        other.TenantId = Guid.CreateVersion7();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(e)).StatusCode);
        var response = await PostAsync(other);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IngestStatus.Accepted, (await response.Content.ReadFromJsonAsync<IngestResponse>(Ct))!.Results[0].Status);
        Assert.Equal(2, await StoredCountAsync(e.Id!.Value));
    }

    [Theory]
    [InlineData("\"action\":\"lead.created\"", "\"action\":\"lead.created\",\"action\":\"tenant.deleted\"")]
    [InlineData("\"id\":\"user-1\"", "\"id\":\"user-1\",\"id\":\"user-2\"")]
    public async Task AKeyGivenTwiceInAnEventIsRefusedWith400(string once, string twice)
    {
        var json = JsonSerializer.Serialize(AuditServiceFixture.NewEvent(Guid.CreateVersion7()), IngestJson);
        Assert.Contains(once, json);

        var response = await app.Writer.PostAsync("/api/v1/events", new StringContent(json.Replace(once, twice, StringComparison.Ordinal), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Duplicate", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABatchForTenantsOfBothWriterLanesIsStoredWholeOrNotAtAll()
    {
        // Two tenants that the default two writer lanes give to different connections.
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();
        while ((uint)a.GetHashCode() % 2 == (uint)b.GetHashCode() % 2)
        {
            b = Guid.CreateVersion7();
        }

        var batch = Enumerable.Range(0, 5).SelectMany(_ => new[] { AuditServiceFixture.NewEvent(a), AuditServiceFixture.NewEvent(b) }).ToArray();

        // The database refuses b's rows (a real failure, inside PostgreSQL), as an outage would cut one lane's commit.
        await AdminSqlAsync($"""
            CREATE FUNCTION refuse_{b:N}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
            CREATE TRIGGER refuse_{b:N} BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.tenant_id = '{b}') EXECUTE FUNCTION refuse_{b:N}();
            """);
        HttpResponseMessage refused;
        try
        {
            refused = await app.Writer.PostAsJsonAsync("/api/v1/events", batch, Ct);
        }
        finally
        {
            await AdminSqlAsync($"DROP TRIGGER refuse_{b:N} ON audit_events; DROP FUNCTION refuse_{b:N}();");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(0, await StoredCountAsync(batch.Select(e => e.Id!.Value).ToArray())); // "not stored" is true

        var retried = await app.Writer.PostAsJsonAsync("/api/v1/events", batch, Ct);
        var answer = await retried.Content.ReadFromJsonAsync<IngestResponse>(Ct);
        Assert.Equal(batch.Length, answer!.Accepted); // nothing comes back as a duplicate of a half-stored first try
        Assert.Equal(batch.Length, await StoredCountAsync(batch.Select(e => e.Id!.Value).ToArray()));
    }

    private static readonly JsonSerializerOptions IngestJson = new(JsonSerializerDefaults.Web);

    private Task<HttpResponseMessage> PostAsync(AuditEventDto e) => app.Writer.PostAsJsonAsync("/api/v1/events", e, Ct);

    private static AuditEventDto Copy(AuditEventDto e) => JsonSerializer.Deserialize<AuditEventDto>(JsonSerializer.Serialize(e, IngestJson), IngestJson)!;

    private Task<long> StoredCountAsync(params Guid[] ids) =>
        Sql.ScalarAsync<long>(app.Database.Admin, "SELECT count(*) FROM audit_events WHERE event_id = ANY(@ids)", ("ids", ids));

    private Task AdminSqlAsync(string sql) => Sql.ExecuteAsync(app.Database.Admin, sql);
}
