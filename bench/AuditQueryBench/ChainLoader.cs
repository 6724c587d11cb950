using AuditService.Chain;
using AuditService.Data;
using Npgsql;
using NpgsqlTypes;

namespace AuditQueryBench;

/// <summary>
/// Writes hash-chained events straight into the log with binary COPY, computing the real hashes, as a
/// database superuser (COPY bypasses the service; row-level security does not apply to a superuser).
/// Used to load the benchmark's data set and by tests that need history older than ingestion accepts.
/// </summary>
public sealed class ChainLoader(string superuserConnectionString)
{
    private readonly Dictionary<Guid, (long Seq, byte[] Hash, DateTimeOffset RecordedAt)> _heads = [];

    /// <summary>
    /// Continues a tenant's chain after the given event (for tests that forge a tail as an attacker would, and
    /// for loading behind a live tenant's history: pass its head's recorded_at so the chain stays in order).
    /// </summary>
    public void Continue(Guid tenant, long seq, byte[] hash, DateTimeOffset? recordedAt = null) =>
        _heads[tenant] = (seq, hash, recordedAt ?? DateTimeOffset.MinValue);

    /// <summary>Creates the monthly partitions (split by category) from <paramref name="from"/> on.</summary>
    public async Task EnsurePartitionsAsync(DateTimeOffset from, int months, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(superuserConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT audit_ensure_partitions(@from, @months)", connection);
        command.Parameters.AddWithValue("from", DateOnly.FromDateTime(from.UtcDateTime));
        command.Parameters.AddWithValue("months", months);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Appends the events to their tenants' chains, in the order given; recorded_at is occurred_at plus a second.</summary>
    public async Task<long> LoadAsync(IEnumerable<AuditEvent> events, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(superuserConnectionString);
        await connection.OpenAsync(ct);
        long rows = 0;
        var loaded = new Dictionary<Guid, (long First, long Last)>();
        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY audit_events (tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email, action, " +
            "category, severity, resource_type, resource_id, resource_name, description, before_state, after_state, metadata, " +
            "error_message, error_stack, ip_address, user_agent, trace_id, span_id, source_service, prev_hash, hash) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in events)
            {
                var head = _heads.TryGetValue(e.TenantId, out var h) ? h : (0L, EventHasher.GenesisHash, DateTimeOffset.MinValue);
                var seq = head.Item1 + 1;
                var recordedAt = Microseconds.Truncate(e.OccurredAt + TimeSpan.FromSeconds(1));
                if (recordedAt < head.Item3)
                {
                    recordedAt = head.Item3;
                }

                var hash = EventHasher.Hash(e, e.TenantId, seq, recordedAt, head.Item2);
                await import.StartRowAsync(ct);
                await import.WriteAsync(e.TenantId, NpgsqlDbType.Uuid, ct);
                await import.WriteAsync(seq, NpgsqlDbType.Bigint, ct);
                await import.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await import.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, ct);
                await import.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, ct);
                foreach (var (value, type) in new (object?, NpgsqlDbType)[]
                {
                    (e.ActorType, NpgsqlDbType.Text), (e.ActorId, NpgsqlDbType.Text), (e.ActorName, NpgsqlDbType.Text), (e.ActorEmail, NpgsqlDbType.Text),
                    (e.Action, NpgsqlDbType.Text), (e.Category, NpgsqlDbType.Text), (e.Severity, NpgsqlDbType.Text), (e.ResourceType, NpgsqlDbType.Text),
                    (e.ResourceId, NpgsqlDbType.Text), (e.ResourceName, NpgsqlDbType.Text), (e.Description, NpgsqlDbType.Text), (e.Before, NpgsqlDbType.Jsonb),
                    (e.After, NpgsqlDbType.Jsonb), (e.Metadata, NpgsqlDbType.Jsonb), (e.ErrorMessage, NpgsqlDbType.Text), (e.ErrorStack, NpgsqlDbType.Text),
                    (e.IpAddress, NpgsqlDbType.Inet), (e.UserAgent, NpgsqlDbType.Text), (e.TraceId, NpgsqlDbType.Text), (e.SpanId, NpgsqlDbType.Text),
                    (e.SourceService, NpgsqlDbType.Text),
                })
                {
                    var write = value switch
                    {
                        null => import.WriteNullAsync(ct),
                        System.Net.IPAddress ip => import.WriteAsync(ip, type, ct),
                        _ => import.WriteAsync((string)value, type, ct),
                    };
                    await write;
                }

                await import.WriteAsync(head.Item2, NpgsqlDbType.Bytea, ct);
                await import.WriteAsync(hash, NpgsqlDbType.Bytea, ct);
                _heads[e.TenantId] = (seq, hash, recordedAt);
                loaded[e.TenantId] = (loaded.TryGetValue(e.TenantId, out var range) ? range.First : seq, seq);
                rows++;
            }

            await import.CompleteAsync(ct);
        }

        // The id ledger the writer keeps beside the log (one row per stored event), for what was just loaded.
        await using (var ledger = new NpgsqlCommand(
            """
            INSERT INTO audit_event_ids (event_id, tenant_id, seq, occurred_at, category)
            SELECT e.event_id, e.tenant_id, e.seq, e.occurred_at, e.category
            FROM unnest(@t, @first, @last) AS r(tenant_id, first_seq, last_seq)
            JOIN audit_events e ON e.tenant_id = r.tenant_id AND e.seq BETWEEN r.first_seq AND r.last_seq
            ON CONFLICT DO NOTHING
            """, connection))
        {
            ledger.CommandTimeout = 0;
            ledger.Parameters.AddWithValue("t", loaded.Keys.ToArray());
            ledger.Parameters.AddWithValue("first", loaded.Values.Select(v => v.First).ToArray());
            ledger.Parameters.AddWithValue("last", loaded.Values.Select(v => v.Last).ToArray());
            await ledger.ExecuteNonQueryAsync(ct);
        }

        await using var heads = new NpgsqlCommand(
            """
            INSERT INTO tenant_chains (tenant_id, last_seq, last_hash) SELECT * FROM unnest(@t, @s, @h)
            ON CONFLICT (tenant_id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash
            """, connection);
        heads.Parameters.AddWithValue("t", _heads.Keys.ToArray());
        heads.Parameters.AddWithValue("s", _heads.Values.Select(v => v.Seq).ToArray());
        heads.Parameters.AddWithValue("h", _heads.Values.Select(v => v.Hash).ToArray());
        await heads.ExecuteNonQueryAsync(ct);
        return rows;
    }
}
