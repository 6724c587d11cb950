using System.IO.Compression;
using AuditService.Chain;

namespace AuditService.FunctionalTests;

public sealed class IngestTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task AcceptedEventIsCommittedAndReadableWithEveryField()
    {
        var e = AuditServiceFixture.NewEvent(Guid.CreateVersion7());

        var response = await app.Writer.PostAsJsonAsync("/api/v1/events", e, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<IngestResponse>(Ct);
        Assert.Equal(1, body!.Accepted);
        Assert.Equal(new IngestResult(e.Id!.Value, "accepted", 1), body.Results[0]);
        // The wire shape, to the letter (the answer's serializer is generated at build time).
        Assert.Equal($$"""{"accepted":1,"duplicates":0,"results":[{"id":"{{e.Id}}","status":"accepted","seq":1}]}""",
            await response.Content.ReadAsStringAsync(Ct));

        using var reader = app.WithKey(AuditServiceFixture.PlatformReadKey);
        var page = await reader.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?tenantId={e.TenantId}", Ct);
        var stored = Assert.Single(page!.Items);
        Assert.Equal(e.Id, stored.Id);
        Assert.Equal("lead.created", stored.Action);
        Assert.Equal("ada@example.com", stored.Actor.Email);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", stored.TraceId);
        Assert.Equal("203.0.113.7", stored.IpAddress);
        Assert.Equal(1.5m, stored.After!.Value.GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task ResentEventIsStoredOnceAndAcknowledgedAsDuplicate()
    {
        var e = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        var first = await app.Writer.PostAsJsonAsync("/api/v1/events", e, Ct);
        var second = await app.Writer.PostAsJsonAsync("/api/v1/events", new[] { e, e }, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await second.Content.ReadFromJsonAsync<IngestResponse>(Ct);
        Assert.Equal(0, body!.Accepted);
        Assert.Equal(2, body.Duplicates);
        Assert.All(body.Results, r => Assert.Equal(1, r.Seq));
        Assert.Equal(1L, await CountAsync(e.TenantId!.Value));
    }

    [Fact]
    public async Task ConcurrentWritersForOneTenantNeverForkTheChain()
    {
        var tenant = Guid.CreateVersion7();
        var requests = Enumerable.Range(0, 40).Select(i => app.Writer.PostAsJsonAsync("/api/v1/events",
            Enumerable.Range(0, 5).Select(_ => AuditServiceFixture.NewEvent(tenant)).ToArray(), Ct));

        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await app.AssertChainIntactAsync(tenant, 200);
    }

    [Fact]
    public async Task BatchAcrossManyTenantsIsCommittedInOrderWithAGaplessChainEach()
    {
        // Tenants map to different writer lanes; one request spanning them still answers in the request's order.
        var tenants = Enumerable.Range(0, 12).Select(_ => Guid.CreateVersion7()).ToArray();
        var batch = Enumerable.Range(0, 120).Select(i => AuditServiceFixture.NewEvent(tenants[i % tenants.Length])).ToArray();
        var resent = batch.Take(30).Concat(Enumerable.Range(0, 12).Select(i => AuditServiceFixture.NewEvent(tenants[i]))).ToArray();

        var first = await app.Writer.PostAsJsonAsync("/api/v1/events", batch, Ct);
        var second = await app.Writer.PostAsJsonAsync("/api/v1/events", resent, Ct);

        var body = await first.Content.ReadFromJsonAsync<IngestResponse>(Ct);
        Assert.Equal(batch.Select(e => e.Id!.Value), body!.Results.Select(r => r.Id));
        Assert.Equal(batch.Select((_, i) => (long)(i / tenants.Length + 1)), body.Results.Select(r => r.Seq));
        var again = await second.Content.ReadFromJsonAsync<IngestResponse>(Ct);
        Assert.Equal(resent.Select(e => e.Id!.Value), again!.Results.Select(r => r.Id));
        Assert.Equal(Enumerable.Repeat("duplicate", 30).Concat(Enumerable.Repeat("accepted", 12)), again.Results.Select(r => r.Status));
        Assert.All(again.Results.Skip(30), r => Assert.Equal(11, r.Seq));
        foreach (var tenant in tenants)
        {
            await app.AssertChainIntactAsync(tenant, 11);
        }
    }

    [Fact]
    public async Task ControlCharactersAreStoredAsGivenAndTheChainStillVerifies()
    {
        var tenant = Guid.CreateVersion7();
        var e = AuditServiceFixture.NewEvent(tenant);
        e.Description = "line one\r\nline two\u0007\t\u001b[31mred\0end";
        e.Metadata = JsonDocument.Parse("""{"b": 1e3, "a": "x\ny", "nested": {"z": -0, "y": [1.10, 2]}}""").RootElement;

        var response = await app.Writer.PostAsJsonAsync("/api/v1/events", e, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = app.WithKey(AuditServiceFixture.PlatformReadKey);
        var page = await reader.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?tenantId={tenant}", Ct);
        Assert.Equal("line one\r\nline two\u0007\t\u001b[31mred\uFFFDend", page!.Items[0].Description);
        await app.AssertChainIntactAsync(tenant);
    }

    [Fact]
    public async Task GzipBodyIsAccepted()
    {
        var e = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        using var content = Gzip(JsonSerializer.SerializeToUtf8Bytes(new[] { e }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        var response = await app.Writer.PostAsync("/api/v1/events", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, await CountAsync(e.TenantId!.Value));
    }

    private Task<long> CountAsync(Guid tenant) =>
        Sql.ScalarAsync<long>(app.Database.Admin, "SELECT count(*) FROM audit_events WHERE tenant_id = @t", ("t", tenant));

    internal static ByteArrayContent Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
