using AuditQueryBench;
using Npgsql;

namespace AuditService.QueryTests;

/// <summary>
/// Retention cannot be abused through the application role: whatever it calls, with whatever argument, the database
/// drops nothing that the configured retention of its category still keeps, and never without the retention records
/// of what goes, written in the same transaction.
/// </summary>
public sealed class RetentionGuardTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task TheAppRoleCannotDropAnAuditMonthTheRetentionStillKeeps()
    {
        // Ended about two months ago: past the 30 days an event may arrive late, well within audit's 2,557 days.
        var month = Chains.MonthStart(3);
        var partition = $"audit_events_{month:yyyy_MM}_audit";
        await LoadAsync(Chains.Event(Guid.CreateVersion7(), month.AddDays(3), "audit"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => AsAppRoleAsync(async (connection, tx) =>
        {
            await ExecuteAsync(connection, tx, "SELECT audit_drop_partition(@p)", ("p", partition));
        }));

        Assert.Contains("retention", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await Sql.ScalarAsync<long>(app.Database.Admin, "SELECT count(*) FROM audit_partitions() WHERE name = @p", ("p", partition)));
    }

    [Fact]
    public async Task AnExpiredMonthIsDroppedOnlyWithTheRetentionRecordsOfWhatItHoldsWrittenInTheSameTransaction()
    {
        var month = Chains.MonthStart(6);
        var partition = $"audit_events_{month:yyyy_MM}_activity";
        var tenant = Guid.CreateVersion7();
        await LoadAsync(Chains.Event(tenant, month.AddDays(1), "activity"), Chains.Event(tenant, month.AddDays(2), "activity"));

        var unrecorded = await Assert.ThrowsAsync<PostgresException>(() => AsAppRoleAsync((connection, tx) =>
            ExecuteAsync(connection, tx, "SELECT audit_drop_partition(@p)", ("p", partition))));
        Assert.Contains("without a retention record", unrecorded.MessageText, StringComparison.Ordinal);

        // A record that does not match what the partition holds (one event instead of two) is refused too.
        var mismatched = await Assert.ThrowsAsync<PostgresException>(() => AsAppRoleAsync(async (connection, tx) =>
        {
            await InsertRecordAsync(connection, tx, tenant, partition, month, count: 1);
            await ExecuteAsync(connection, tx, "SELECT audit_drop_partition(@p)", ("p", partition));
        }));
        Assert.Contains("without a retention record", mismatched.MessageText, StringComparison.Ordinal);

        await AsAppRoleAsync(async (connection, tx) =>
        {
            await InsertRecordAsync(connection, tx, tenant, partition, month, count: 2);
            await ExecuteAsync(connection, tx, "SELECT audit_drop_partition(@p)", ("p", partition));
        });
        Assert.Equal(0, await Sql.ScalarAsync<long>(app.Database.Admin, "SELECT count(*) FROM audit_partitions() WHERE name = @p", ("p", partition)));
        Assert.Equal(0, await Sql.ScalarAsync<long>(app.Database.Admin, "SELECT count(*) FROM audit_event_ids WHERE tenant_id = @t", ("t", tenant)));
    }

    [Theory]
    [InlineData("UPDATE retention_policies SET keep_days = 30")]
    [InlineData("DELETE FROM retention_policies")]
    [InlineData("INSERT INTO retention_policies (category, keep_days) VALUES ('security', 30)")]
    public async Task TheAppRoleCannotChangeARetentionPolicy(string statement)
    {
        var denied = await Assert.ThrowsAsync<PostgresException>(() => AsAppRoleAsync((connection, tx) => ExecuteAsync(connection, tx, statement)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Equal(2557, await Sql.ScalarAsync<int>(app.Database.App, "SELECT keep_days FROM retention_policies WHERE category = 'audit'"));
    }

    private async Task LoadAsync(params AuditService.Data.AuditEvent[] events)
    {
        var loader = new ChainLoader(app.Database.Admin);
        await loader.EnsurePartitionsAsync(events.Min(e => e.OccurredAt), 1, Ct);
        await loader.LoadAsync(events, Ct);
    }

    private async Task AsAppRoleAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work)
    {
        await using var connection = new NpgsqlConnection(app.Database.App);
        await connection.OpenAsync(Ct);
        await using var tx = await connection.BeginTransactionAsync(Ct);
        await ExecuteAsync(connection, tx, "SELECT set_config('app.all_tenants', 'on', true)");
        await work(connection, tx);
        await tx.CommitAsync(Ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(Ct);
    }

    // The database cannot check the signature (it never sees the key); the verifier does. Here only its presence is tested.
    private static Task InsertRecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid tenant, string partition, DateTimeOffset month, long count) =>
        ExecuteAsync(connection, tx,
            """
            INSERT INTO retention_records (id, tenant_id, partition_name, category, range_from, range_to, first_seq, last_seq,
                                           dropped_count, last_hash, dropped_at, signature)
            VALUES (gen_random_uuid(), @t, @p, 'activity', @from, @to, 1, @last, @count, '\x00', now(), '\x00')
            """,
            ("t", tenant), ("p", partition), ("from", month), ("to", month.AddMonths(1)), ("last", count), ("count", count));
}
