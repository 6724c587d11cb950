using System.Diagnostics;
using Api.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Api.FunctionalTests;

/// <summary>
/// How a unit of work (ServiceDefaults/Tenancy/DbScope, opened by Api/Data/AppDb) reaches appdb: every command outside a transaction carries the scope and commits
/// on its own, a batch commits all or nothing, a transaction not committed rolls back; and a request opens one unit whose
/// read, or audited settings change, is one database command.
/// </summary>
public sealed class UnitOfWorkTests(ApiFixture api)
{
    private AppDb Db => api.Services.GetRequiredService<AppDb>();

    [Fact]
    public async Task OutsideATransactionEveryCommandCarriesTheScope()
    {
        var acme = await api.TenantIdAsync("acme");
        await using var db = await Db.OpenAsync(TenantScope.Of(acme), Ct);
        for (var i = 0; i < 3; i++)
        {
            // Without the scope a command sees no tenant rows at all.
            await using var command = db.Command("SELECT array_agg(DISTINCT id) FROM tenants");
            Assert.Equal([acme], (Guid[])(await command.ExecuteScalarAsync(Ct))!);
        }
    }

    [Fact]
    public async Task AWriteOutsideATransactionCommitsOnItsOwn()
    {
        var acme = await api.TenantIdAsync("acme");
        var id = Guid.CreateVersion7();
        await using (var db = await Db.OpenAsync(TenantScope.Of(acme), Ct))
        {
            await InsertActivityAsync(db, id, acme);
        }

        Assert.True(await ActivityExistsAsync(id));
    }

    [Fact]
    public async Task ABatchOutsideATransactionCommitsAllOrNothing()
    {
        var acme = await api.TenantIdAsync("acme");
        var globex = await api.TenantIdAsync("globex");
        var kept = Guid.CreateVersion7();
        var refused = Guid.CreateVersion7();
        await using (var db = await Db.OpenAsync(TenantScope.Of(acme), Ct))
        await using (var batch = db.Batch())
        {
            batch.BatchCommands.Add(ActivityInsert(kept, acme));
            // Another tenant's row breaks the policy's WITH CHECK, and takes the first insert with it.
            batch.BatchCommands.Add(ActivityInsert(refused, globex));
            var error = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync(Ct));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        Assert.False(await ActivityExistsAsync(kept));
        Assert.False(await ActivityExistsAsync(refused));
    }

    [Fact]
    public async Task ATransactionDisposedWithoutCommitRollsBack()
    {
        var acme = await api.TenantIdAsync("acme");
        var dropped = Guid.CreateVersion7();
        var committed = Guid.CreateVersion7();
        await using (var db = await Db.OpenAsync(TenantScope.Of(acme), Ct))
        {
            await db.BeginTransactionAsync(Ct);
            await InsertActivityAsync(db, dropped, acme);
        }

        await using (var db = await Db.OpenAsync(TenantScope.Of(acme), Ct))
        {
            await db.BeginTransactionAsync(Ct);
            await InsertActivityAsync(db, committed, acme);
            // Later commands of the transaction run under the scope its first command set.
            await using var count = db.Command("SELECT count(*) FROM activities WHERE id = @id");
            count.Parameters.AddWithValue("id", committed);
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync(Ct))!);
            await db.CommitAsync(Ct);
        }

        Assert.False(await ActivityExistsAsync(dropped));
        Assert.True(await ActivityExistsAsync(committed));
    }

    [Fact]
    public async Task ReadingATenantIsOneDatabaseCommand()
    {
        using var acme = await api.TenantAdminAsync(ApiFixture.AcmeAdmin);
        var trace = await SendTracedAsync(acme.Client, new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{acme.TenantId}"));
        Assert.Single(await ApiCommandsAsync(trace, expected: 1));
    }

    [Fact]
    public async Task ChangingSettingsWritesAndReadsBackInOneDatabaseCommand()
    {
        using var tenant = await api.SignUpTenantAsync("Unit Of Work");
        var trace = await SendTracedAsync(tenant.Client, new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenant.TenantId}/settings")
        {
            Content = JsonContent.Create(new { timezone = "Europe/Berlin", storeOutputPreviews = true }),
        });

        // The update and the read back go as one batch, atomic on its own: no BEGIN, COMMIT or second statement round trip.
        Assert.Single(await ApiCommandsAsync(trace, expected: 1));
        var changed = await api.AuditEventAsync(tenant.TenantId, e => e.Action == "tenant.settings_changed" && e.TraceId == trace.ToHexString());
        Assert.Equal("Europe/Berlin", changed.After!.Value.GetProperty("timezone").GetString());
    }

    private static async Task<ActivityTraceId> SendTracedAsync(HttpClient client, HttpRequestMessage request)
    {
        var trace = ActivityTraceId.CreateRandom();
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return trace;
    }

    /// <summary>The Api's database commands in the trace (each carries the scope CALL), once the request's spans are all in.</summary>
    private async Task<List<Activity>> ApiCommandsAsync(ActivityTraceId trace, int expected)
    {
        List<Activity> Commands()
        {
            lock (api.Telemetry.Spans)
            {
                return [.. api.Telemetry.Spans.Where(s => s.TraceId == trace && s.Source.Name == "Npgsql"
                    && s.TagObjects.Any(t => t.Value is string text && text.Contains("app_scope", StringComparison.Ordinal)))];
            }
        }

        for (var attempt = 0; attempt < 20 && Commands().Count < expected; attempt++)
        {
            await Task.Delay(100, Ct);
        }

        // A moment more, so that a command beyond the expected ones would be counted too.
        await Task.Delay(200, Ct);
        return Commands();
    }

    private static NpgsqlBatchCommand ActivityInsert(Guid id, Guid tenant)
    {
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO activities (id, tenant_id, kind, input, status, created_by)
            VALUES (@id, @tenant, 'research', 'unit of work', 'completed', 'test')
            """);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("tenant", tenant);
        return insert;
    }

    private static async Task InsertActivityAsync(DbScope db, Guid id, Guid tenant)
    {
        await using var insert = db.Command(
            """
            INSERT INTO activities (id, tenant_id, kind, input, status, created_by)
            VALUES (@id, @tenant, 'research', 'unit of work', 'completed', 'test')
            """);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("tenant", tenant);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(Ct));
    }

    private async Task<bool> ActivityExistsAsync(Guid id)
    {
        await using var db = await Db.OpenAsync(TenantScope.Platform, Ct);
        await using var command = db.Command("SELECT count(*) FROM activities WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync(Ct))! == 1;
    }
}
