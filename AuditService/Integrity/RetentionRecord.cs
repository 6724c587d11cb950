namespace AuditService.Integrity;

/// <summary>
/// What one dropped partition held of one tenant's chain, signed so that the gap it leaves reads as expiry. Retention
/// writes them (Retention/RetentionStore.cs); the chain's verifier reads them.
/// </summary>
public sealed record RetentionRecord(Guid Id, Guid TenantId, string Partition, string? Category, DateTimeOffset RangeFrom,
    DateTimeOffset RangeTo, long FirstSeq, long LastSeq, long DroppedCount, byte[] LastHash, DateTimeOffset DroppedAt, byte[] Signature)
{
    public object[] SignedParts() =>
        ["retention-v1", Id, TenantId, Partition, Category ?? "*", RangeFrom, RangeTo, FirstSeq, LastSeq, DroppedCount, LastHash, DroppedAt];

    public bool Covers(long seq) => seq >= FirstSeq && seq <= LastSeq;

    public static async Task<List<RetentionRecord>> ListAsync(DbScope unit, Guid tenant, CancellationToken ct)
    {
        await using var select = unit.Command(
            """
            SELECT id, tenant_id, partition_name, category, range_from, range_to, first_seq, last_seq, dropped_count, last_hash, dropped_at, signature
            FROM retention_records WHERE tenant_id = @tenant ORDER BY first_seq
            """);
        select.Parameters.AddWithValue("tenant", tenant);
        return await select.ReadListAsync(
            r => new RetentionRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8),
                (byte[])r[9], r.GetFieldValue<DateTimeOffset>(10), (byte[])r[11]), ct);
    }
}
