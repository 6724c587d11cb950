using System.Net;
using AuditService.Events;
using Npgsql;

namespace AuditService.Chain;

public sealed record ChainVerdict(Guid TenantId, bool Intact, long EventsChecked, long? FirstBadSeq, string? Problem);

/// <summary>
/// Walks one tenant's chain in sequence order, recomputing every hash from the stored fields, and
/// stops at the first event that is missing, out of order, edited or not linked to the one before.
/// It also checks that the chain head agrees with the last stored event (a truncated tail).
/// </summary>
public sealed class ChainVerifier(NpgsqlDataSource dataSource)
{
    public async Task<ChainVerdict> VerifyAsync(Guid tenantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await TenantScope.ApplyAsync(connection, tx, [tenantId], ct);

        long expectedSeq = 1;
        var prevHash = EventHasher.GenesisHash;
        await using (var command = new NpgsqlCommand(
            """
            SELECT tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email, action,
                   category, severity, resource_type, resource_id, resource_name, description,
                   before_state::text, after_state::text, metadata::text, error_message, error_stack, ip_address,
                   user_agent, trace_id, span_id, source_service, prev_hash, hash
            FROM audit_events WHERE tenant_id = @tenant ORDER BY seq
            """, connection, tx))
        {
            command.Parameters.AddWithValue("tenant", tenantId);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var seq = r.GetInt64(1);
                if (seq != expectedSeq)
                {
                    return Bad(tenantId, expectedSeq - 1, expectedSeq,
                        seq > expectedSeq ? $"event {expectedSeq} is missing (next stored is {seq})" : $"sequence number {seq} appears twice");
                }

                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                string? J(int i) => r.IsDBNull(i) ? null : CanonicalJson.Normalize(r.GetString(i));
                var e = new AuditEvent(r.GetGuid(2), r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(3),
                    r.GetString(5), r.GetString(6), S(7), S(8), r.GetString(9), r.GetString(10), r.GetString(11),
                    S(12), S(13), S(14), S(15), J(16), J(17), J(18), S(19), S(20),
                    r.IsDBNull(21) ? null : r.GetFieldValue<IPAddress>(21), S(22), S(23), S(24), S(25));
                var storedPrev = (byte[])r[26];
                var storedHash = (byte[])r[27];
                if (!storedPrev.AsSpan().SequenceEqual(prevHash))
                {
                    return Bad(tenantId, seq - 1, seq, $"event {seq} does not link to event {seq - 1} (previous hash differs)");
                }

                var hash = EventHasher.Hash(e, tenantId, seq, r.GetFieldValue<DateTimeOffset>(4), prevHash);
                if (!hash.AsSpan().SequenceEqual(storedHash))
                {
                    return Bad(tenantId, seq - 1, seq, $"event {seq} was altered (its content no longer matches its hash)");
                }

                prevHash = storedHash;
                expectedSeq++;
            }
        }

        await using (var head = new NpgsqlCommand("SELECT last_seq, last_hash FROM tenant_chains WHERE tenant_id = @tenant", connection, tx))
        {
            head.Parameters.AddWithValue("tenant", tenantId);
            await using var r = await head.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                var lastSeq = r.GetInt64(0);
                if (lastSeq != expectedSeq - 1)
                {
                    return Bad(tenantId, expectedSeq - 1, expectedSeq,
                        $"the chain head says {lastSeq} events but only {expectedSeq - 1} are stored (tail removed)");
                }

                if (!((byte[])r[1]).AsSpan().SequenceEqual(prevHash))
                {
                    return Bad(tenantId, expectedSeq - 1, expectedSeq - 1, "the chain head's hash differs from the last stored event's");
                }
            }
        }

        return new ChainVerdict(tenantId, true, expectedSeq - 1, null, null);
    }

    private static ChainVerdict Bad(Guid tenant, long checkedCount, long seq, string problem) => new(tenant, false, checkedCount, seq, problem);
}
