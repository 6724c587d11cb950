using System.Text.Json;
using Audit.Contracts;
using Npgsql;

namespace AuditService.Events;

/// <summary>Reads the log inside a tenant scope; row-level security applies the same scope again.</summary>
public sealed class AuditEventReader(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<StoredAuditEvent>> NewestAsync(IReadOnlyCollection<Guid>? tenants, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await TenantScope.ApplyAsync(connection, tx, tenants, ct);

        await using var command = new NpgsqlCommand(
            """
            SELECT event_id, tenant_id, seq, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email,
                   action, category, severity, resource_type, resource_id, resource_name, description,
                   before_state::text, after_state::text, metadata::text, error_message, error_stack,
                   host(ip_address), user_agent, trace_id, span_id, source_service
            FROM audit_events
            ORDER BY occurred_at DESC, seq DESC
            LIMIT @limit
            """, connection, tx);
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<StoredAuditEvent>(limit);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(Read(reader));
            }
        }

        await tx.CommitAsync(ct);
        return items;
    }

    private static StoredAuditEvent Read(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        JsonElement? J(int i) => r.IsDBNull(i) ? null : JsonDocument.Parse(r.GetString(i)).RootElement.Clone();
        var resource = S(12) is null ? null : new ResourceDto { Type = S(12), Id = S(13), Name = S(14) };
        var error = S(19) is null ? null : new ErrorDto { Message = S(19), Stack = S(20) };
        return new StoredAuditEvent(
            r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
            new ActorDto { Type = r.GetString(5), Id = r.GetString(6), Name = S(7), Email = S(8) },
            r.GetString(9), r.GetString(10), r.GetString(11), resource, S(15), J(16), J(17), J(18), error,
            S(21), S(22), S(23), S(24), S(25));
    }
}
