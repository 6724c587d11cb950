using System.Diagnostics;
using System.Text.Json;
using AuditService.Auth;
using AuditService.Chain;
using AuditService.Events;
using AuditService.Ingestion;

namespace AuditService.Queries;

/// <summary>
/// Support staff and super admins reading a tenant's log leave an entry in that tenant's log
/// (<c>audit_log.viewed</c>), written through the service's own writer and committed before the answer.
/// </summary>
public sealed class ReadAuditor(AuditWriter writer, TimeProvider clock)
{
    public const string ViewedAction = "audit_log.viewed";

    public async Task RecordAsync(HttpContext http, ReaderScope reader, IEnumerable<Guid> tenants, string what, object? details = null)
    {
        if (!reader.AuditsItsReads)
        {
            return;
        }

        var now = EventHasher.TruncateToMicroseconds(clock.GetUtcNow());
        var metadata = CanonicalJson.Normalize(JsonSerializer.Serialize(new { endpoint = what, query = http.Request.QueryString.Value, role = reader.Kind, details }));
        var activity = Activity.Current;
        var events = tenants.Distinct().Select(tenant => new AuditEvent(
            Guid.CreateVersion7(), tenant, now, "human", reader.ActorId, reader.ActorName, reader.ActorEmail,
            ViewedAction, "audit", "info", "audit_log", tenant.ToString(), null,
            $"{reader.Kind} read this tenant's audit log ({what})", null, null, metadata, null, null,
            http.Connection.RemoteIpAddress, Truncate(http.Request.Headers.UserAgent.ToString()),
            activity?.TraceId.ToHexString(), activity?.SpanId.ToHexString(), "auditservice")).ToList();
        if (events.Count > 0)
        {
            await writer.WriteAsync(events);
        }
    }

    private static string? Truncate(string value) => value.Length == 0 ? null : value.Length > 500 ? value[..500] : value;
}
