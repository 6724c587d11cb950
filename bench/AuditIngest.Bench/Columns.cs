using System.Net;
using Audit.Contracts;
using NpgsqlTypes;

namespace AuditIngest.Bench;

/// <summary>audit_events' columns and one event's values for them, shared by the raw COPY and the naive INSERT.</summary>
public static class Columns
{
    public const string List =
        "tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email, action, " +
        "category, severity, resource_type, resource_id, resource_name, description, after_state, " +
        "ip_address, user_agent, trace_id, span_id, source_service, prev_hash, hash";

    public static IEnumerable<(object? Value, NpgsqlDbType Type)> Values(AuditEventDto e, long seq, byte[] hash) =>
    [
        (e.TenantId!.Value, NpgsqlDbType.Uuid), (seq, NpgsqlDbType.Bigint), (e.Id!.Value, NpgsqlDbType.Uuid),
        (e.OccurredAt!.Value, NpgsqlDbType.TimestampTz), (DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz),
        (e.Actor!.Type, NpgsqlDbType.Text), (e.Actor.Id, NpgsqlDbType.Text), (e.Actor.Name, NpgsqlDbType.Text),
        (e.Actor.Email, NpgsqlDbType.Text), (e.Action, NpgsqlDbType.Text), (e.Category, NpgsqlDbType.Text),
        (e.Severity, NpgsqlDbType.Text), (e.Resource!.Type, NpgsqlDbType.Text), (e.Resource.Id, NpgsqlDbType.Text),
        (e.Resource.Name, NpgsqlDbType.Text), (e.Description, NpgsqlDbType.Text), (e.After!.Value.GetRawText(), NpgsqlDbType.Jsonb),
        (IPAddress.Parse(e.IpAddress!), NpgsqlDbType.Inet), (e.UserAgent, NpgsqlDbType.Text), (e.TraceId, NpgsqlDbType.Text),
        (e.SpanId, NpgsqlDbType.Text), (e.SourceService, NpgsqlDbType.Text), (hash, NpgsqlDbType.Bytea), (hash, NpgsqlDbType.Bytea),
    ];
}
