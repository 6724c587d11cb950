namespace AuditService.Retention;

/// <summary>What one dropped partition held of one tenant's chain, signed so that the gap it leaves reads as expiry.</summary>
public sealed record RetentionRecord(Guid Id, Guid TenantId, string Partition, string? Category, DateTimeOffset RangeFrom,
    DateTimeOffset RangeTo, long FirstSeq, long LastSeq, long DroppedCount, byte[] LastHash, DateTimeOffset DroppedAt, byte[] Signature)
{
    public object[] SignedParts() =>
        ["retention-v1", Id, TenantId, Partition, Category ?? "*", RangeFrom, RangeTo, FirstSeq, LastSeq, DroppedCount, LastHash, DroppedAt];

    public bool Covers(long seq) => seq >= FirstSeq && seq <= LastSeq;
}
