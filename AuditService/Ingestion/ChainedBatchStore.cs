using Audit.Contracts;
using AuditService.Chain;
using AuditService.Events;
using Npgsql;
using NpgsqlTypes;

namespace AuditService.Ingestion;

/// <summary>
/// Commits a group of requests in one transaction: locks the chain head of every tenant involved (in
/// tenant order, so writers never deadlock), skips ids already stored, chains the rest and writes them
/// with one INSERT from binary array parameters. (PostgreSQL refuses COPY into a table under row-level
/// security; the earlier COPY-into-staging-then-INSERT wrote every row twice and was 1.65x slower end to end.)
/// </summary>
public sealed class ChainedBatchStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns =
        "tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email, action, " +
        "category, severity, resource_type, resource_id, resource_name, description, before_state, after_state, metadata, " +
        "error_message, error_stack, ip_address, user_agent, trace_id, span_id, source_service, prev_hash, hash";

    private NpgsqlConnection? _connection;

    public void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public async Task<IReadOnlyList<IngestResult>[]> CommitAsync(IReadOnlyList<WriteRequest> requests, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        await using (var scope = new NpgsqlCommand("SELECT set_config('app.all_tenants', 'on', true)", connection, tx))
        {
            await scope.ExecuteNonQueryAsync(ct);
        }

        var events = requests.SelectMany(r => r.Events).ToList();
        var tenants = events.Select(e => e.TenantId).Distinct().Order().ToArray();
        var heads = await LockHeadsAsync(connection, tx, tenants, ct);
        var stored = await StoredAsync(connection, tx, events.Select(e => e.Id).Distinct().ToArray(), ct);

        var recordedAt = EventHasher.TruncateToMicroseconds(clock.GetUtcNow());
        var chained = new List<ChainedEvent>(events.Count);
        var results = new IReadOnlyList<IngestResult>[requests.Count];
        for (var r = 0; r < requests.Count; r++)
        {
            var list = new IngestResult[requests[r].Events.Count];
            for (var i = 0; i < list.Length; i++)
            {
                var e = requests[r].Events[i];
                if (stored.TryGetValue(e.Id, out var seq))
                {
                    list[i] = new IngestResult(e.Id, "duplicate", seq);
                    continue;
                }

                var head = heads[e.TenantId];
                var next = head.Seq + 1;
                var hash = EventHasher.Hash(e, e.TenantId, next, recordedAt, head.Hash);
                heads[e.TenantId] = (next, hash);
                stored[e.Id] = next;
                chained.Add(new ChainedEvent(e, next, recordedAt, head.Hash, hash));
                list[i] = new IngestResult(e.Id, "accepted", next);
            }

            results[r] = list;
        }

        if (chained.Count > 0)
        {
            await InsertAsync(connection, tx, chained, ct);

            await UpdateHeadsAsync(connection, tx, heads, ct);
        }

        await tx.CommitAsync(ct);
        return results;
    }

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        Reset();
        _connection = await dataSource.OpenConnectionAsync(ct);
        return _connection;
    }

    private static async Task<Dictionary<Guid, (long Seq, byte[] Hash)>> LockHeadsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] tenants, CancellationToken ct)
    {
        await using (var ensure = new NpgsqlCommand(
            "INSERT INTO tenant_chains (tenant_id, last_seq, last_hash) SELECT t, 0, @genesis FROM unnest(@tenants) AS t ON CONFLICT DO NOTHING",
            connection, tx))
        {
            ensure.Parameters.AddWithValue("tenants", tenants);
            ensure.Parameters.AddWithValue("genesis", EventHasher.GenesisHash);
            await ensure.ExecuteNonQueryAsync(ct);
        }

        var heads = new Dictionary<Guid, (long, byte[])>(tenants.Length);
        await using var select = new NpgsqlCommand(
            "SELECT tenant_id, last_seq, last_hash FROM tenant_chains WHERE tenant_id = ANY(@tenants) ORDER BY tenant_id FOR UPDATE",
            connection, tx);
        select.Parameters.AddWithValue("tenants", tenants);
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            heads[reader.GetGuid(0)] = (reader.GetInt64(1), (byte[])reader[2]);
        }

        return heads;
    }

    private static async Task<Dictionary<Guid, long>> StoredAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] ids, CancellationToken ct)
    {
        var stored = new Dictionary<Guid, long>();
        await using var select = new NpgsqlCommand("SELECT event_id, seq FROM audit_events WHERE event_id = ANY(@ids)", connection, tx);
        select.Parameters.AddWithValue("ids", ids);
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return stored;
    }

    /// <summary>
    /// All rows in one statement: each column travels as one binary array parameter and unnest turns them back
    /// into rows, so the rows are written once (no staging table) in one round trip.
    /// </summary>
    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<ChainedEvent> rows, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO audit_events ({Columns}) SELECT * FROM unnest({string.Join(", ", Enumerable.Range(0, 28).Select(i => $"@c{i}"))})",
            connection, tx);
        var p = insert.Parameters;
        void Add<T>(NpgsqlDbType type, Func<ChainedEvent, T> column) =>
            p.Add(new NpgsqlParameter($"c{p.Count}", NpgsqlDbType.Array | type) { Value = rows.Select(column).ToArray() });
        Add(NpgsqlDbType.Uuid, r => r.Event.TenantId);
        Add(NpgsqlDbType.Bigint, r => r.Seq);
        Add(NpgsqlDbType.Uuid, r => r.Event.Id);
        Add(NpgsqlDbType.TimestampTz, r => r.Event.OccurredAt);
        Add(NpgsqlDbType.TimestampTz, r => r.RecordedAt);
        Add(NpgsqlDbType.Text, r => r.Event.ActorType);
        Add(NpgsqlDbType.Text, r => r.Event.ActorId);
        Add(NpgsqlDbType.Text, r => r.Event.ActorName);
        Add(NpgsqlDbType.Text, r => r.Event.ActorEmail);
        Add(NpgsqlDbType.Text, r => r.Event.Action);
        Add(NpgsqlDbType.Text, r => r.Event.Category);
        Add(NpgsqlDbType.Text, r => r.Event.Severity);
        Add(NpgsqlDbType.Text, r => r.Event.ResourceType);
        Add(NpgsqlDbType.Text, r => r.Event.ResourceId);
        Add(NpgsqlDbType.Text, r => r.Event.ResourceName);
        Add(NpgsqlDbType.Text, r => r.Event.Description);
        Add(NpgsqlDbType.Jsonb, r => r.Event.Before);
        Add(NpgsqlDbType.Jsonb, r => r.Event.After);
        Add(NpgsqlDbType.Jsonb, r => r.Event.Metadata);
        Add(NpgsqlDbType.Text, r => r.Event.ErrorMessage);
        Add(NpgsqlDbType.Text, r => r.Event.ErrorStack);
        Add(NpgsqlDbType.Inet, r => r.Event.IpAddress);
        Add(NpgsqlDbType.Text, r => r.Event.UserAgent);
        Add(NpgsqlDbType.Text, r => r.Event.TraceId);
        Add(NpgsqlDbType.Text, r => r.Event.SpanId);
        Add(NpgsqlDbType.Text, r => r.Event.SourceService);
        Add(NpgsqlDbType.Bytea, r => r.PrevHash);
        Add(NpgsqlDbType.Bytea, r => r.Hash);
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static async Task UpdateHeadsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        Dictionary<Guid, (long Seq, byte[] Hash)> heads, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE tenant_chains c SET last_seq = u.seq, last_hash = u.hash
            FROM unnest(@tenants, @seqs, @hashes) AS u(tenant_id, seq, hash)
            WHERE c.tenant_id = u.tenant_id AND c.last_seq <> u.seq
            """, connection, tx);
        update.Parameters.AddWithValue("tenants", heads.Keys.ToArray());
        update.Parameters.AddWithValue("seqs", heads.Values.Select(h => h.Seq).ToArray());
        update.Parameters.AddWithValue("hashes", heads.Values.Select(h => h.Hash).ToArray());
        await update.ExecuteNonQueryAsync(ct);
    }
}
