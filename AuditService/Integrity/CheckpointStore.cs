namespace AuditService.Integrity;

/// <summary>Signs every tenant's chain head that moved since its last checkpoint, and reads them back.</summary>
public sealed class CheckpointStore(AuditDb db, Signer signer, TimeProvider clock)
{
    public async Task<int> CheckpointAsync(CancellationToken ct)
    {
        // The platform scope: a job that signs every tenant's head.
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await unit.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var heads = new List<(Guid Tenant, long Seq, byte[] Hash)>();
        await using (var select = unit.Command(
            """
            SELECT c.tenant_id, c.last_seq, c.last_hash FROM tenant_chains c
            WHERE c.last_seq > 0 AND NOT EXISTS (SELECT 1 FROM chain_checkpoints k WHERE k.tenant_id = c.tenant_id AND k.seq = c.last_seq)
            """))
        await using (var r = await select.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                heads.Add((r.GetGuid(0), r.GetInt64(1), (byte[])r[2]));
            }
        }

        var now = Microseconds.Truncate(clock.GetUtcNow());
        await using (var insert = unit.Command(InsertSql))
        {
            Bind(insert.Parameters, heads.Select(h => Sign(signer, h.Tenant, h.Seq, h.Hash, now)).ToList());
            await insert.ExecuteNonQueryAsync(ct);
        }

        await unit.CommitAsync(ct);
        return heads.Count;
    }

    /// <summary>A chain head with its signature, ready to store.</summary>
    public sealed record Signed(Guid Tenant, long Seq, byte[] Hash, DateTimeOffset SignedAt, byte[] Signature);

    public const string InsertSql =
        "INSERT INTO chain_checkpoints (tenant_id, seq, hash, signed_at, signature) SELECT * FROM unnest(@t, @s, @h, @at, @sig) ON CONFLICT DO NOTHING";

    public static Signed Sign(Signer signer, Guid tenant, long seq, byte[] hash, DateTimeOffset signedAt) =>
        new(tenant, seq, hash, signedAt, signer.Sign(Checkpoint.SignedParts(tenant, seq, hash, signedAt)));

    public static void Bind(NpgsqlParameterCollection parameters, IReadOnlyList<Signed> checkpoints)
    {
        parameters.AddWithValue("t", checkpoints.Select(c => c.Tenant).ToArray());
        parameters.AddWithValue("s", checkpoints.Select(c => c.Seq).ToArray());
        parameters.AddWithValue("h", checkpoints.Select(c => c.Hash).ToArray());
        parameters.AddWithValue("at", checkpoints.Select(c => c.SignedAt).ToArray());
        parameters.AddWithValue("sig", checkpoints.Select(c => c.Signature).ToArray());
    }

    /// <summary>The checkpoints of the tenants in the reader's scope.</summary>
    public async Task<List<Checkpoint>> ListAsync(TenantScope scope, CancellationToken ct)
    {
        await using var unit = await db.OpenAsync(scope, ct);
        return await ListAsync(unit, ct);
    }

    /// <summary>The checkpoints of the unit's tenants (also filtered in SQL, so the tenant index serves a narrow scope).</summary>
    public static async Task<List<Checkpoint>> ListAsync(DbScope unit, CancellationToken ct)
    {
        var all = unit.Scope.AllTenants;
        await using var select = unit.Command(
            "SELECT tenant_id, seq, hash, signed_at, signature FROM chain_checkpoints"
            + (all ? "" : " WHERE tenant_id = ANY(@tenants)") + " ORDER BY tenant_id, seq");
        if (!all)
        {
            select.Parameters.AddWithValue("tenants", unit.Scope.Tenants.ToArray());
        }

        return await select.ReadListAsync(
            r => new Checkpoint(r.GetGuid(0), r.GetInt64(1), Convert.ToHexStringLower((byte[])r[2]),
                r.GetFieldValue<DateTimeOffset>(3), Convert.ToHexStringLower((byte[])r[4])), ct);
    }
}
