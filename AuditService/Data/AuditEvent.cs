using System.Net;

namespace AuditService.Data;

/// <summary>
/// A validated, normalised event ready to be chained and stored. JSON payloads are kept in their
/// canonical text form, which is both what is stored and what is hashed.
/// </summary>
public sealed record AuditEvent(
    Guid Id,
    Guid TenantId,
    DateTimeOffset OccurredAt,
    string ActorType,
    string ActorId,
    string? ActorName,
    string? ActorEmail,
    string Action,
    string Category,
    string Severity,
    string? ResourceType,
    string? ResourceId,
    string? ResourceName,
    string? Description,
    string? Before,
    string? After,
    string? Metadata,
    string? ErrorMessage,
    string? ErrorStack,
    IPAddress? IpAddress,
    string? UserAgent,
    string? TraceId,
    string? SpanId,
    string? SourceService);

/// <summary>An event with its place in the tenant's hash chain.</summary>
public sealed record ChainedEvent(AuditEvent Event, long Seq, DateTimeOffset RecordedAt, byte[] PrevHash, byte[] Hash);
