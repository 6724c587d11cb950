using AuditService.Integrity;

namespace AuditService.Retention;

/// <summary>
/// Reads and writes retention records, and drops one partition with the records of what it held. Retention works across
/// tenants, so every unit of work here is in the platform scope.
/// </summary>
public sealed class RetentionStore(AuditDb db, Signer signer, TimeProvider clock)
{
    public sealed record Partition(string Name, string? Category, DateTimeOffset From, DateTimeOffset To);

    public async Task<List<Partition>> PartitionsAsync(CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = unit.Command("SELECT name, category, range_from, range_to FROM audit_partitions() ORDER BY range_from, name");
        return await command.ReadListAsync(
            r => new Partition(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
                r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3)), ct);
    }

    /// <summary>
    /// In one transaction: records, per tenant, the chain range the partition holds (signed), then drops it.
    /// Either both happen or neither, so a gap without a record is never retention's.
    /// </summary>
    public async Task<List<RetentionRecord>> DropAsync(Partition partition, CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await unit.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var now = Microseconds.Truncate(clock.GetUtcNow());
        var records = new List<RetentionRecord>();
        await using (var ranges = unit.Command(
            $"""
            SELECT DISTINCT ON (tenant_id) tenant_id,
                   min(seq) OVER w, max(seq) OVER w, count(*) OVER w, hash
            FROM audit_events
            WHERE occurred_at >= @from AND occurred_at < @to {(partition.Category is null ? "" : "AND category = @category")}
            WINDOW w AS (PARTITION BY tenant_id)
            ORDER BY tenant_id, seq DESC
            """))
        {
            ranges.Parameters.AddWithValue("from", partition.From);
            ranges.Parameters.AddWithValue("to", partition.To);
            if (partition.Category is not null)
            {
                ranges.Parameters.AddWithValue("category", partition.Category);
            }

            await using var r = await ranges.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var unsigned = new RetentionRecord(Guid.CreateVersion7(), r.GetGuid(0), partition.Name, partition.Category, partition.From, partition.To,
                    r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), (byte[])r[4], now, []);
                records.Add(unsigned with { Signature = signer.Sign(unsigned.SignedParts()) });
            }
        }

        await using (var insert = unit.Command(
            """
            INSERT INTO retention_records (id, tenant_id, partition_name, category, range_from, range_to, first_seq, last_seq,
                                           dropped_count, last_hash, dropped_at, signature)
            SELECT * FROM unnest(@id, @tenant, @partition, @category, @from, @to, @first, @last, @count, @hash, @at, @sig)
            """))
        {
            insert.Parameters.AddWithValue("id", records.Select(x => x.Id).ToArray());
            insert.Parameters.AddWithValue("tenant", records.Select(x => x.TenantId).ToArray());
            insert.Parameters.AddWithValue("partition", records.Select(x => x.Partition).ToArray());
            insert.Parameters.AddWithValue("category", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, records.Select(x => (object?)x.Category ?? DBNull.Value).ToArray());
            insert.Parameters.AddWithValue("from", records.Select(x => x.RangeFrom).ToArray());
            insert.Parameters.AddWithValue("to", records.Select(x => x.RangeTo).ToArray());
            insert.Parameters.AddWithValue("first", records.Select(x => x.FirstSeq).ToArray());
            insert.Parameters.AddWithValue("last", records.Select(x => x.LastSeq).ToArray());
            insert.Parameters.AddWithValue("count", records.Select(x => x.DroppedCount).ToArray());
            insert.Parameters.AddWithValue("hash", records.Select(x => x.LastHash).ToArray());
            insert.Parameters.AddWithValue("at", records.Select(x => x.DroppedAt).ToArray());
            insert.Parameters.AddWithValue("sig", records.Select(x => x.Signature).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using (var drop = unit.Command("SELECT audit_drop_partition(@name)"))
        {
            drop.Parameters.AddWithValue("name", partition.Name);
            await drop.ExecuteNonQueryAsync(ct);
        }

        await unit.CommitAsync(ct);
        return records;
    }

    public async Task RecordRunAsync(RetentionRunView run, CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await using var insert = unit.Command(
            """
            INSERT INTO retention_runs (id, trigger, requested_by, started_at, finished_at, partitions, dropped_events, tenants, error)
            VALUES (@id, @trigger, @by, @started, @finished, @partitions, @dropped, @tenants, @error)
            """);
        insert.Parameters.AddWithValue("id", run.Id);
        insert.Parameters.AddWithValue("trigger", run.Trigger);
        insert.Parameters.AddWithValue("by", (object?)run.RequestedBy ?? DBNull.Value);
        insert.Parameters.AddWithValue("started", run.StartedAt);
        insert.Parameters.AddWithValue("finished", run.FinishedAt);
        insert.Parameters.AddWithValue("partitions", run.Partitions.ToArray());
        insert.Parameters.AddWithValue("dropped", run.DroppedEvents);
        insert.Parameters.AddWithValue("tenants", run.Tenants);
        insert.Parameters.AddWithValue("error", (object?)run.Error ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The latest runs, newest first.</summary>
    /// <summary>When the newest run of the schedule (or of an instance's start-up) began, on any instance.</summary>
    public async Task<DateTimeOffset?> LastScheduledStartAsync(CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await using var select = unit.Command("SELECT max(started_at) FROM retention_runs WHERE trigger <> 'manual'");
        return await select.ExecuteScalarAsync(ct) is DateTime started ? new DateTimeOffset(started, TimeSpan.Zero) : null;
    }

    public Task<RetentionClaim?> ClaimAsync(bool wait, CancellationToken ct) => RetentionClaim.TakeAsync(db, wait, ct);

    public async Task<List<RetentionRunView>> RunsAsync(int limit, CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await using var select = unit.Command(
            """
            SELECT id, trigger, requested_by, started_at, finished_at, partitions, dropped_events, tenants, error
            FROM retention_runs ORDER BY started_at DESC LIMIT @limit
            """);
        select.Parameters.AddWithValue("limit", limit);
        return await select.ReadListAsync(
            r => new RetentionRunView(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<string[]>(5), r.GetInt64(6), r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8)), ct);
    }
}
