using Api.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Api.FunctionalTests;

/// <summary>
/// appdb's row-level security (Migrations/0005_row_level_security.sql), checked as the Api's own role:
/// no scope sees no tenant rows, a tenant scope sees and writes only its tenant's rows, the platform
/// scope sees every tenant; and every table with a tenant_id column has RLS enabled and forced.
/// </summary>
public sealed class RowLevelSecurityTests(ApiFixture api)
{
    /// <summary>Each tenant-owned table with the expression that names a row's tenant.</summary>
    public static readonly TheoryData<string, string> TenantTables = new()
    {
        { "tenants", "id" },
        { "users", "tenant_id" },
        { "refresh_tokens", "(SELECT u.tenant_id FROM users u WHERE u.id = user_id)" },
        { "support_assignments", "tenant_id" },
        { "activities", "tenant_id" },
        { "activity_stages", "tenant_id" },
        { "llm_calls", "tenant_id" },
        { "llm_usage_daily", "tenant_id" },
        { "spend_cap_crossings", "tenant_id" },
        { "feedback", "tenant_id" },
        { "notifications", "tenant_id" },
        { "notification_reads", "tenant_id" },
        { "spend_cap_overrides", "tenant_id" },
        { "mail_outbox", "tenant_id" },
    };

    private AppDb Db => api.Services.GetRequiredService<AppDb>();

    [Fact]
    public async Task EveryTableWithATenantColumnHasRowLevelSecurityEnabledAndForced()
    {
        await using var connection = new NpgsqlConnection(api.Database.Owner);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND (c.relname IN ('tenants', 'refresh_tokens')
                   OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
            ORDER BY 1
            """, connection);
        var tables = new List<(string Name, bool Enabled, bool Forced)>();
        await using (var r = await command.ExecuteReaderAsync(Ct))
        {
            while (await r.ReadAsync(Ct))
            {
                tables.Add((r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)));
            }
        }

        Assert.Equal(TenantTables.Select(t => (string)t.Data.Item1).Order(), tables.Select(t => t.Name));
        Assert.All(tables, t => Assert.True(t.Enabled && t.Forced, $"{t.Name}: row-level security enabled={t.Enabled}, forced={t.Forced}"));
    }

    [Theory]
    [MemberData(nameof(TenantTables))]
    public async Task WithoutAScopeTheAppRoleSeesNoRows(string table, string tenantOf)
    {
        var (acme, globex) = await SeedAsync();
        await using var connection = new NpgsqlConnection(api.Database.App);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);

        // The rows are there: the platform scope sees both tenants'.
        await using var platform = await Db.OpenPlatformAsync(Ct);
        var all = await TenantsOfRowsAsync(platform, table, tenantOf);
        Assert.Contains(acme, all);
        Assert.Contains(globex, all);
    }

    [Theory]
    [MemberData(nameof(TenantTables))]
    public async Task ATenantScopeSeesOnlyItsTenantsRows(string table, string tenantOf)
    {
        var (acme, globex) = await SeedAsync();
        await using (var scope = await Db.OpenTenantAsync(acme, Ct))
        {
            Assert.Equal([acme], await TenantsOfRowsAsync(scope, table, tenantOf));
        }

        await using (var scope = await Db.OpenTenantsAsync([acme, globex], Ct))
        {
            Assert.Equal(new[] { acme, globex }.Order(), (await TenantsOfRowsAsync(scope, table, tenantOf)).Order());
        }

        await using (var scope = await Db.OpenTenantsAsync([], Ct))
        {
            Assert.Empty(await TenantsOfRowsAsync(scope, table, tenantOf));
        }
    }

    [Fact]
    public async Task ATenantScopeCannotWriteAnotherTenantsRows()
    {
        var (acme, globex) = await SeedAsync();
        var globexActivity = await ActivityOfAsync(globex);

        // Inserting for another tenant breaks the policy's WITH CHECK.
        await AssertRefusedAsync(
            acme, "INSERT INTO activities (id, tenant_id, kind, input, status, created_by) VALUES (@id, @t, 'research', 'x', 'queued', 'test')",
            ("id", Guid.CreateVersion7()), ("t", globex));

        // Moving an own row to another tenant is refused the same way.
        await AssertRefusedAsync(acme, "UPDATE activities SET tenant_id = @t WHERE tenant_id = @own", ("t", globex), ("own", acme));

        // Another tenant's rows are out of reach of UPDATE and DELETE: nothing matches.
        Assert.Equal(0, await ExecuteAsTenantAsync(acme, "UPDATE activities SET input = 'changed' WHERE id = @id", ("id", globexActivity)));
        Assert.Equal(0, await ExecuteAsTenantAsync(acme, "DELETE FROM llm_calls WHERE tenant_id = @t", ("t", globex)));

        await using var platform = await Db.OpenPlatformAsync(Ct);
        await using var check = platform.Command("SELECT input FROM activities WHERE id = @id");
        check.Parameters.AddWithValue("id", globexActivity);
        Assert.Equal("seeded", await check.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task TheScopeEndsWithItsTransactionAndNeverStaysOnAPooledConnection()
    {
        await SeedAsync();
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        for (var i = 0; i < 5; i++)
        {
            await using (var scope = await Db.OpenPlatformAsync(Ct))
            await using (var count = scope.Command("SELECT count(*) FROM activities"))
            {
                Assert.True((long)(await count.ExecuteScalarAsync(Ct))! > 0);
                await scope.CommitAsync(Ct);
            }

            // The same pool, outside any scope: nothing.
            await using var bare = dataSource.CreateCommand("SELECT count(*) FROM activities");
            Assert.Equal(0L, (long)(await bare.ExecuteScalarAsync(Ct))!);
        }
    }

    private static async Task<List<Guid>> TenantsOfRowsAsync(DbScope scope, string table, string tenantOf)
    {
        await using var command = scope.Command($"SELECT DISTINCT {tenantOf} FROM {table} ORDER BY 1");
        var tenants = new List<Guid>();
        await using var r = await command.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            // A row whose tenant cannot be named (NULL: platform-level) must not be visible in a tenant scope either.
            tenants.Add(r.IsDBNull(0) ? Guid.Empty : r.GetGuid(0));
        }

        return tenants;
    }

    /// <summary>Runs one write in <paramref name="tenant"/>'s scope and commits; answers the rows it changed.</summary>
    private async Task<int> ExecuteAsTenantAsync(Guid tenant, string sql, params (string Name, object Value)[] parameters)
    {
        await using var scope = await Db.OpenTenantAsync(tenant, Ct);
        await using var command = scope.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await scope.ExecuteAndCommitAsync(command, Ct);
    }

    private async Task AssertRefusedAsync(Guid tenant, string sql, params (string Name, object Value)[] parameters)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsTenantAsync(tenant, sql, parameters));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private async Task<Guid> ActivityOfAsync(Guid tenant)
    {
        await using var platform = await Db.OpenPlatformAsync(Ct);
        await using var command = platform.Command("SELECT id FROM activities WHERE tenant_id = @t AND input = 'seeded' LIMIT 1");
        command.Parameters.AddWithValue("t", tenant);
        return (Guid)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static (Guid Acme, Guid Globex)? _seeded;

    /// <summary>
    /// One row per tenant in every tenant-owned table besides the seeded tenants and users; activities are
    /// completed already so that the pipeline's workers leave them alone.
    /// </summary>
    private async Task<(Guid Acme, Guid Globex)> SeedAsync()
    {
        await SeedLock.WaitAsync(Ct);
        try
        {
            if (_seeded is { } done)
            {
                return done;
            }

            await using var scope = await Db.OpenPlatformAsync(Ct);
            var tenants = new Dictionary<string, Guid>();
            await using (var find = scope.Command("SELECT slug, id FROM tenants WHERE slug IN ('acme', 'globex')"))
            await using (var r = await find.ExecuteReaderAsync(Ct))
            {
                while (await r.ReadAsync(Ct))
                {
                    tenants[r.GetString(0)] = r.GetGuid(1);
                }
            }

            foreach (var tenant in tenants.Values)
            {
                await using var seed = scope.Command(
                    """
                    WITH a AS (
                        INSERT INTO activities (id, tenant_id, kind, input, status, created_by)
                        VALUES (gen_random_uuid(), @t, 'research', 'seeded', 'completed', 'test') RETURNING id),
                    s AS (
                        INSERT INTO activity_stages (activity_id, tenant_id, stage, agent_role, attempt, worker)
                        SELECT id, @t, 'plan', 'planner', 1, 'test' FROM a),
                    c AS (
                        INSERT INTO llm_calls (id, tenant_id, actor_type, actor, provider, model, outcome, input_sha256)
                        VALUES (gen_random_uuid(), @t, 'agent', 'test', 'simulated', 'test-model', 'success', 'x')),
                    d AS (
                        INSERT INTO llm_usage_daily (day, tenant_id, provider, model) VALUES (current_date, @t, 'simulated', 'rls-test')
                        ON CONFLICT DO NOTHING),
                    x AS (
                        INSERT INTO spend_cap_crossings (tenant_id, month, threshold) VALUES (@t, date_trunc('month', now())::date, 1)
                        ON CONFLICT DO NOTHING),
                    f AS (
                        INSERT INTO feedback (id, tenant_id, user_id, user_email, kind, priority, message)
                        SELECT gen_random_uuid(), @t, u.id, u.email, 'general', 'low', 'seeded' FROM users u WHERE u.tenant_id = @t LIMIT 1),
                    n AS (
                        INSERT INTO notifications (id, tenant_id, alert_name, fingerprint, status, severity, summary, labels, starts_at)
                        VALUES (gen_random_uuid(), @t, 'RlsTest', md5(@t::text), 'firing', 'info', 'seeded', '{}', now()) RETURNING id),
                    nr AS (
                        INSERT INTO notification_reads (notification_id, user_id, tenant_id)
                        SELECT n.id, u.id, @t FROM n, users u WHERE u.tenant_id = @t LIMIT 1),
                    o AS (
                        INSERT INTO spend_cap_overrides (tenant_id, month, budget_usd, raised_by, reason)
                        SELECT @t, date_trunc('month', now())::date, 1000, u.id, 'seeded' FROM users u WHERE u.tenant_id = @t LIMIT 1
                        ON CONFLICT DO NOTHING),
                    m AS (
                        INSERT INTO mail_outbox (id, tenant_id, to_address, subject, body, sent_at)
                        VALUES (gen_random_uuid(), @t, 'seeded@rls.test', 'seeded', 'seeded', now())),
                    r AS (
                        INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at)
                        SELECT gen_random_uuid(), gen_random_uuid(), u.id, sha256(gen_random_uuid()::text::bytea), now() + interval '1 day'
                        FROM users u WHERE u.tenant_id = @t LIMIT 1)
                    -- A tenant's own user (the seeded support user's assignments stay as the other tests expect them).
                    INSERT INTO support_assignments (user_id, tenant_id)
                    SELECT u.id, @t FROM users u WHERE u.tenant_id = @t LIMIT 1 ON CONFLICT DO NOTHING
                    """);
                seed.Parameters.AddWithValue("t", tenant);
                await seed.ExecuteNonQueryAsync(Ct);
            }

            await scope.CommitAsync(Ct);
            _seeded = (tenants["acme"], tenants["globex"]);
            return _seeded.Value;
        }
        finally
        {
            SeedLock.Release();
        }
    }
}
