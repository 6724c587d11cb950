using AuditService.Data;
using Npgsql;

namespace AuditService.QueryTests;

/// <summary>Row-level security holds the read side's tables to the transaction's tenant scope even when a query forgets its WHERE.</summary>
public sealed class BackstopTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task AQueryWithoutATenantFilterSeesOnlyTheScopedTenantAndWithoutAScopeNothing()
    {
        var (mine, theirs) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await app.WriteAsync(ReadSideFixture.Event(mine, "ada"), ReadSideFixture.Event(theirs, "bob"), ReadSideFixture.Event(theirs, "bob"));
        await app.Services.GetRequiredService<Integrity.CheckpointStore>().CheckpointAsync(Ct);
        const string everything =
            """
            SELECT (SELECT count(DISTINCT tenant_id) FROM audit_events) + (SELECT count(*) FROM tenant_chains)
                 + (SELECT count(*) FROM chain_checkpoints) + (SELECT count(*) FROM retention_records)
            """;

        await using (var dataSource = NpgsqlDataSource.Create(app.Database.App))
        await using (var unit = await new AuditDb(dataSource).OpenAsync(TenantScope.Of(mine), Ct))
        {
            await using var scoped = unit.Command(everything);
            Assert.Equal(3L, await scoped.ExecuteScalarAsync(Ct)); // its events, its chain head, its checkpoint
        }

        await using var connection = new NpgsqlConnection(app.Database.App);
        await connection.OpenAsync(Ct);
        await using var unscoped = new NpgsqlCommand(everything, connection);
        Assert.Equal(0L, await unscoped.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task TheAppRoleCannotDropAPartitionThatMayStillReceiveEventsNorAnyOtherTable()
    {
        await using var connection = new NpgsqlConnection(app.Database.App);
        await connection.OpenAsync(Ct);
        foreach (var name in new[] { $"audit_events_{DateTimeOffset.UtcNow:yyyy_MM}_audit", "tenant_chains", "retention_records" })
        {
            await using var drop = new NpgsqlCommand("SELECT audit_drop_partition(@name)", connection);
            drop.Parameters.AddWithValue("name", name);
            await Assert.ThrowsAsync<PostgresException>(() => drop.ExecuteNonQueryAsync(Ct));
        }

        await using var direct = new NpgsqlCommand($"DROP TABLE audit_events_{DateTimeOffset.UtcNow:yyyy_MM}_audit", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => direct.ExecuteNonQueryAsync(Ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }
}
