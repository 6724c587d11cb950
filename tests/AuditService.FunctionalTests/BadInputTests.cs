namespace AuditService.FunctionalTests;

public sealed class BadInputTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task InvalidFieldsAreNamedWithTheirReasonsAndNothingIsStored()
    {
        var good = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        var bad = AuditServiceFixture.NewEvent(good.TenantId!.Value);
        bad.Id = Guid.NewGuid(); // v4, not v7
        bad.Action = "Lead Created";
        bad.Severity = "fatal";
        bad.TraceId = "xyz";
        bad.OccurredAt = DateTimeOffset.UtcNow.AddDays(2);
        bad.Before = JsonDocument.Parse("[1,2]").RootElement;

        var response = await app.Writer.PostAsJsonAsync("/api/v1/events", new[] { good, bad }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors");
        Assert.Contains("UUID v7", errors.GetProperty("[1].id")[0].GetString());
        Assert.Contains("dot-namespaced", errors.GetProperty("[1].action")[0].GetString());
        Assert.Contains("one of", errors.GetProperty("[1].severity")[0].GetString());
        Assert.Contains("hex", errors.GetProperty("[1].traceId")[0].GetString());
        Assert.Contains("future", errors.GetProperty("[1].occurredAt")[0].GetString());
        Assert.Contains("JSON object", errors.GetProperty("[1].before")[0].GetString());
        Assert.False(errors.TryGetProperty("[0].id", out _));

        using var reader = app.WithKey(AuditServiceFixture.PlatformReadKey);
        var page = await reader.GetFromJsonAsync<Audit.Contracts.AuditEventPage>($"/api/v1/audit-events?tenantId={good.TenantId}", Ct);
        Assert.Empty(page!.Items);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("audk_000000000000_unknown-key-unknown-key-unknown", "unknown or revoked")]
    [InlineData("not-a-key", "unknown or revoked")]
    public async Task MissingOrUnknownKeyIs401WithProblemDetails(string? key, string reason)
    {
        using var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var response = await client.PostAsJsonAsync("/api/v1/events", AuditServiceFixture.NewEvent(Guid.CreateVersion7()), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ACheckpointWithoutItsHashIsA400NamingTheField()
    {
        var tenant = Guid.CreateVersion7();
        await app.Writer.PostAsJsonAsync("/api/v1/events", AuditServiceFixture.NewEvent(tenant), Ct);
        using var reader = app.WithKey(AuditServiceFixture.PlatformReadKey);

        var response = await reader.PostAsJsonAsync($"/api/v1/integrity/verify?tenant={tenant}",
            new[] { new { tenantId = tenant, seq = 1, signedAt = DateTimeOffset.UtcNow, signature = new string('a', 64) } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("[0].hash", out _));
    }

    [Fact]
    public async Task RevokedKeyStopsWorking()
    {
        var tenant = Guid.CreateVersion7();
        var (id, secret) = await app.CreateTenantKeyAsync(tenant);
        using var client = app.WithKey(secret);
        var before = await client.PostAsJsonAsync("/api/v1/events", AuditServiceFixture.NewEvent(tenant), Ct);

        using var admin = app.WithKey(AuditServiceFixture.AdminKey);
        var revoke = await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}", Ct);
        var after = await client.PostAsJsonAsync("/api/v1/events", AuditServiceFixture.NewEvent(tenant), Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task TenantKeyCannotWriteForAnotherTenant()
    {
        var own = Guid.CreateVersion7();
        var (_, secret) = await app.CreateTenantKeyAsync(own);
        using var client = app.WithKey(secret);

        var response = await client.PostAsJsonAsync("/api/v1/events",
            new[] { AuditServiceFixture.NewEvent(own), AuditServiceFixture.NewEvent(Guid.CreateVersion7()) }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("[1].tenantId", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ReadKeyCannotWrite()
    {
        using var reader = app.WithKey(AuditServiceFixture.PlatformReadKey);
        var response = await reader.PostAsJsonAsync("/api/v1/events", AuditServiceFixture.NewEvent(Guid.CreateVersion7()), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimitIs413EvenWhenItOnlyGrowsAfterDecompression()
    {
        // 20 MB of spaces compresses to a few kilobytes: the limit applies to what it inflates to.
        var bomb = new byte[20 * 1024 * 1024];
        Array.Fill(bomb, (byte)' ');
        bomb[0] = (byte)'[';
        bomb[^1] = (byte)']';
        using var content = IngestTests.Gzip(bomb);
        Assert.True(content.Headers.ContentLength is null || content.Headers.ContentLength < 1024 * 1024);

        var response = await app.Writer.PostAsync("/api/v1/events", content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MalformedBodiesNeverCauseA5xx()
    {
        var random = new Random(20261123);
        var valid = JsonSerializer.Serialize(AuditServiceFixture.NewEvent(Guid.CreateVersion7()), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var cases = new List<string>
        {
            "", "null", "[]", "[null]", "{}", "42", "\"text\"", "[1,2]", "{\"id\":", "{\"unknownField\":1}",
            "{\"id\":\"not-a-guid\"}", "{\"occurredAt\":\"yesterday\"}", "{\"metadata\":{\"n\":1e999999999999}}",
            "{\"metadata\":{\"s\":\"\\u0000\"}}", "{\"metadata\":{\"a\":1,\"a\":2}}", new string('[', 5000) + new string(']', 5000),
        };
        for (var i = 0; i < 150; i++)
        {
            var chars = valid.ToCharArray();
            for (var m = 0; m < 1 + random.Next(6); m++)
            {
                const string noise = "{}[]\",:\\0aZ\u0000\u00e9 ";
                chars[random.Next(chars.Length)] = noise[random.Next(noise.Length)];
            }

            cases.Add(new string(chars));
        }

        foreach (var body in cases)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await app.Writer.PostAsync("/api/v1/events", content, Ct);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for body: {body[..Math.Min(body.Length, 200)]}");
        }
    }
}
