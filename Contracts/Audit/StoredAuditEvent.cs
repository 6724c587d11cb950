using System.Text.Json;

namespace Audit.Contracts;

/// <summary>An event as AuditService returns it from the read API.</summary>
public sealed record StoredAuditEvent(
    Guid Id,
    Guid TenantId,
    long Seq,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    ActorDto Actor,
    string Action,
    string Category,
    string Severity,
    ResourceDto? Resource,
    string? Description,
    JsonElement? Before,
    JsonElement? After,
    JsonElement? Metadata,
    ErrorDto? Error,
    string? IpAddress,
    string? UserAgent,
    string? TraceId,
    string? SpanId,
    string? SourceService);

public sealed record AuditEventPage(IReadOnlyList<StoredAuditEvent> Items, string? NextCursor);
