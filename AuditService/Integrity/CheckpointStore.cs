using AuditService.Chain;
using AuditService.Events;
using Npgsql;

namespace AuditService.Integrity;

/// <summary>Signs every tenant's chain head that moved since its last checkpoint, and reads them back.</summary>
public sealed class CheckpointStore(NpgsqlDataSource dataSource, Signer signer, TimeProvider clock)
{
    public async Task<int> CheckpointAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await TenantScope.ApplyAsync(connection, tx, null, ct);
        var heads = new List<(Guid Tenant, long Seq, byte[] Hash)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT c.tenant_id, c.last_seq, c.last_hash FROM tenant_chains c
            WHERE c.last_seq > 0 AND NOT EXISTS (SELECT 1 FROM chain_checkpoints k WHERE k.tenant_id = c.tenant_id AND k.seq = c.last_seq)
            """, connection, tx))
        await using (var r = await select.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                heads.Add((r.GetGuid(0), r.GetInt64(1), (byte[])r[2]));
            }
        }

        var now = EventHasher.TruncateToMicroseconds(clock.GetUtcNow());
        await using (var insert = new NpgsqlCommand(InsertSql, connection, tx))
        {
            Bind(insert.Parameters, heads.Select(h => Sign(signer, h.Tenant, h.Seq, h.Hash, now)).ToList());
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
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

    public async Task<List<Checkpoint>> ListAsync(IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await TenantScope.ApplyAsync(connection, tx, tenants, ct);
        var list = await ListAsync(connection, tx, tenants, ct);
        await tx.CommitAsync(ct);
        return list;
    }

    public static async Task<List<Checkpoint>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT tenant_id, seq, hash, signed_at, signature FROM chain_checkpoints"
            + (tenants is null ? "" : " WHERE tenant_id = ANY(@tenants)") + " ORDER BY tenant_id, seq", connection, tx);
        if (tenants is not null)
        {
            select.Parameters.AddWithValue("tenants", tenants.ToArray());
        }

        var list = new List<Checkpoint>();
        await using var r = await select.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new Checkpoint(r.GetGuid(0), r.GetInt64(1), Convert.ToHexStringLower((byte[])r[2]),
                r.GetFieldValue<DateTimeOffset>(3), Convert.ToHexStringLower((byte[])r[4])));
        }

        return list;
    }
}
