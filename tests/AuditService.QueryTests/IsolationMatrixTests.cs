using AuditService.Queries;

namespace AuditService.QueryTests;

/// <summary>
/// Every role × every read endpoint × ids and filters from foreign tenants: no foreign row ever comes
/// back, and a foreign id answers exactly like an id that never existed.
/// </summary>
public sealed class IsolationMatrixTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    private static readonly SemaphoreSlim Seeding = new(1);
    private static World? s_world;

    public sealed record World(Guid A, Guid B, Guid C, List<Audit.Contracts.AuditEventDto> Events);

    public sealed record Reader(string Name, Func<World, ReadSideFixture, HttpClient> Client, Func<World, Guid, bool> SeesTenant, string? OwnActor);

    public static TheoryData<string> Readers => new(ReaderList.Select(r => r.Name));

    private static readonly Reader[] ReaderList =
    [
        new("super_admin", (w, f) => f.WithToken(f.Tokens.Issue("root", "super_admin")), (_, _) => true, null),
        new("tenant_admin of A", (w, f) => f.WithToken(f.Tokens.Issue("a-admin", "tenant_admin", w.A)), (w, t) => t == w.A, null),
        new("member of A", (w, f) => f.WithToken(f.Tokens.Issue("a-member", "member", w.A)), (w, t) => t == w.A, "a-member"),
        new("support of A and C", (w, f) => f.WithToken(f.Tokens.Issue("helper", "support", supportTenants: [w.A, w.C])), (w, t) => t == w.A || t == w.C, null),
        new("support of no tenant", (w, f) => f.WithToken(f.Tokens.Issue("idle", "support")), (_, _) => false, null),
        new("platform read key", (w, f) => f.WithKey(ReadSideFixture.ReadKey), (_, _) => true, null),
    ];

    private async Task<World> WorldAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (s_world is null)
            {
                var (a, b, c) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
                var events = new List<Audit.Contracts.AuditEventDto>
                {
                    ReadSideFixture.Event(a, "a-admin"), ReadSideFixture.Event(a, "a-admin", "user.invited"), ReadSideFixture.Event(a, "a-admin", traceId: null),
                    ReadSideFixture.Event(a, "a-member"), ReadSideFixture.Event(a, "a-member", "user.updated", severity: "error"), ReadSideFixture.Event(a, "a-member", category: "activity"),
                    ReadSideFixture.Event(b, "b-user"), ReadSideFixture.Event(b, "b-user", "user.invited"), ReadSideFixture.Event(b, "b-user", severity: "error"),
                    ReadSideFixture.Event(b, "a-member"), // the same actor id in another tenant
                    ReadSideFixture.Event(c, "c-user"), ReadSideFixture.Event(c, "c-user", "user.deleted", severity: "critical"),
                };
                await app.WriteAsync([.. events]);
                await app.Services.GetRequiredService<Integrity.CheckpointStore>().CheckpointAsync(CancellationToken.None);
                s_world = new World(a, b, c, events);
            }

            return s_world;
        }
        finally
        {
            Seeding.Release();
        }
    }

    private async Task<(World World, Reader Reader)> ReaderInWorldAsync(string name) =>
        (await WorldAsync(), ReaderList.Single(r => r.Name == name));

    private static bool Visible(Reader reader, World w, Guid tenant, string actor) =>
        reader.SeesTenant(w, tenant) && (reader.OwnActor is null || reader.OwnActor == actor);

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task ListAndExportReturnEveryVisibleEntryAndNoForeignOneWhateverTheFilters(string name)
    {
        var (w, reader) = await ReaderInWorldAsync(name);
        using var client = reader.Client(w, app);
        string[] filters = ["", $"tenant={w.B}", $"tenantId={w.B}", $"tenant={w.C}", "actor=b-user", $"resourceId=lead-{w.B:N}", "action=user.*", "actor=a-member"];
        foreach (var filter in filters)
        {
            var page = await client.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?limit=200&{filter}", Ct);
            AssertScoped(reader, w, page!.Items.Select(e => (e.Id, e.TenantId, e.Actor.Id!)), filter);

            var ndjson = await client.GetStringAsync($"/api/v1/audit-events/export?format=ndjson&{filter}", Ct);
            var exported = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<AuditEntry>(l, JsonSerializerOptions.Web)!).ToList();
            AssertScoped(reader, w, exported.Select(e => (e.Id, e.TenantId, e.Actor.Id!)), "export " + filter);

            var csv = await client.GetStringAsync($"/api/v1/audit-events/export?format=csv&{filter}", Ct);
            var csvTenants = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => Guid.Parse(l.Split(',')[1]));
            Assert.All(csvTenants, t => Assert.True(reader.SeesTenant(w, t), $"{name}: csv export {filter} returned tenant {t}"));

            if (filter.Length == 0)
            {
                var expected = w.Events.Where(e => Visible(reader, w, e.TenantId!.Value, e.Actor!.Id!)).Select(e => e.Id!.Value).ToHashSet();
                Assert.Subset(page.Items.Select(e => e.Id).ToHashSet(), expected);
                Assert.Subset(exported.Select(e => e.Id).ToHashSet(), expected);
            }
        }
    }

    private static void AssertScoped(Reader reader, World w, IEnumerable<(Guid Id, Guid Tenant, string Actor)> rows, string filter)
    {
        foreach (var row in rows)
        {
            Assert.True(reader.SeesTenant(w, row.Tenant), $"{reader.Name}: {filter} returned {row.Id} of tenant {row.Tenant}");
            Assert.True(reader.OwnActor is null || reader.OwnActor == row.Actor, $"{reader.Name}: {filter} returned {row.Id} by {row.Actor}");
        }
    }

    // Each answer names its own request's trace; everything else must be the same.
    private static string WithoutTraceId(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task AForeignEntryAnswersExactlyLikeAMissingOne(string name)
    {
        var (w, reader) = await ReaderInWorldAsync(name);
        using var client = reader.Client(w, app);
        var unknown = await client.GetAsync($"/api/v1/audit-events/{Guid.CreateVersion7()}", Ct);
        var unknownBody = WithoutTraceId(await unknown.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        foreach (var e in w.Events)
        {
            var response = await client.GetAsync($"/api/v1/audit-events/{e.Id}", Ct);
            if (Visible(reader, w, e.TenantId!.Value, e.Actor!.Id!))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                continue;
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(unknownBody, WithoutTraceId(await response.Content.ReadAsStringAsync(Ct)));
            Assert.Equal(unknown.Content.Headers.ContentType, response.Content.Headers.ContentType);
        }
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task StatsVerifyAndCheckpointsOfAForeignTenantShowNothing(string name)
    {
        var (w, reader) = await ReaderInWorldAsync(name);
        using var client = reader.Client(w, app);
        foreach (var tenant in new[] { w.A, w.B, w.C })
        {
            var stats = await client.GetFromJsonAsync<AuditStats>($"/api/v1/audit-events/stats?tenant={tenant}", Ct);
            var visible = w.Events.Count(e => e.TenantId == tenant && Visible(reader, w, tenant, e.Actor!.Id!));
            if (visible == 0)
            {
                Assert.Equal(0, stats!.Total);
            }
            else
            {
                Assert.True(stats!.Total >= visible, $"{name}: stats of {tenant} counted {stats.Total}, expected at least {visible}");
            }

            var verify = await client.GetAsync($"/api/v1/integrity/verify?tenant={tenant}", Ct);
            var expected = reader.OwnActor is not null ? HttpStatusCode.Forbidden : reader.SeesTenant(w, tenant) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            Assert.Equal(expected, verify.StatusCode);

            var checkpoints = await client.GetAsync($"/api/v1/integrity/checkpoints?tenant={tenant}", Ct);
            if (checkpoints.StatusCode == HttpStatusCode.OK)
            {
                var list = await checkpoints.Content.ReadFromJsonAsync<List<Integrity.Checkpoint>>(Ct);
                Assert.All(list!, c => Assert.True(reader.SeesTenant(w, c.TenantId)));
            }
        }

        var all = await client.GetFromJsonAsync<AuditStats>("/api/v1/audit-events/stats", Ct);
        var visibleAll = w.Events.Count(e => Visible(reader, w, e.TenantId!.Value, e.Actor!.Id!));
        Assert.True(visibleAll == 0 ? all!.Total == 0 : all!.Total >= visibleAll);
    }
}
