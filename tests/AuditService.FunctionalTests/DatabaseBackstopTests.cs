using Npgsql;

namespace AuditService.FunctionalTests;

/// <summary>What the database itself refuses, whatever the service's code does.</summary>
public sealed class DatabaseBackstopTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Theory]
    [InlineData("UPDATE {0} SET description = 'rewritten'")]
    [InlineData("DELETE FROM {0}")]
    [InlineData("TRUNCATE {0}")]
    public async Task AppRoleCannotRewriteTheLogOnTheParentOrAnyPartition(string statement)
    {
        var tables = await PartitionedTablesAsync();
        Assert.True(tables.Count >= 4, "the parent and at least three monthly partitions exist");

        foreach (var table in tables)
        {
            await using var connection = new NpgsqlConnection(app.Database.App);
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(string.Format(statement, table), connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
    }

    [Fact]
    public async Task RowLevelSecurityIsForcedOnEveryTenantTableAndTheAppRoleOwnsNothing()
    {
        await using var connection = new NpgsqlConnection(app.Database.Admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
              AND c.relname <> 'api_keys'
            """, connection);
        var rows = new List<(string Table, bool Rls, bool Forced, string Owner)>();
        await using (var r = await command.ExecuteReaderAsync(Ct))
        {
            while (await r.ReadAsync(Ct))
            {
                rows.Add((r.GetString(0), r.GetBoolean(1), r.GetBoolean(2), r.GetString(3)));
            }
        }

        Assert.Contains(rows, r => r.Table == "audit_events");
        Assert.Contains(rows, r => r.Table == "tenant_chains");
        Assert.All(rows, r =>
        {
            Assert.True(r.Rls && r.Forced, $"{r.Table} must have row-level security enabled and forced");
            Assert.NotEqual(app.Database.AppRole, r.Owner);
        });

        await using var role = new NpgsqlCommand("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = @r", connection);
        role.Parameters.AddWithValue("r", app.Database.AppRole);
        await using var rr = await role.ExecuteReaderAsync(Ct);
        Assert.True(await rr.ReadAsync(Ct));
        Assert.False(rr.GetBoolean(0));
        Assert.False(rr.GetBoolean(1));
    }

    [Fact]
    public async Task AConnectionWithoutTenantContextSeesNoRows()
    {
        var post = await app.Writer.PostAsync("/api/v1/events",
            System.Net.Http.Json.JsonContent.Create(AuditServiceFixture.NewEvent(Guid.CreateVersion7())), Ct);
        post.EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(app.Database.App);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM tenant_chains)", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    private async Task<List<string>> PartitionedTablesAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.Admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT 'audit_events' UNION ALL SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_events'::regclass", connection);
        var tables = new List<string>();
        await using var r = await command.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            tables.Add(r.GetString(0));
        }

        return tables;
    }
}
