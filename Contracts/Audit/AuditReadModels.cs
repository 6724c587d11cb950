using System.Text.Json;

namespace Audit.Contracts;

/// <summary>
/// An entry as AuditService's read API returns it: the stored event's fields (the shape of
/// <see cref="StoredAuditEvent"/>, so clients that read that keep working), links to its trace and logs, and its place
/// in its tenant's hash chain (<c>hash</c> and <c>prevHash</c>, lower-case hex SHA-256; docs/audit-export.md says how
/// to check an exported entry against them).
/// </summary>
public sealed record AuditEntry(
    Guid Id, Guid TenantId, long Seq, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, ActorDto Actor,
    string Action, string Category, string Severity, ResourceDto? Resource, string? Description,
    JsonElement? Before, JsonElement? After, JsonElement? Metadata, ErrorDto? Error, string? IpAddress,
    string? UserAgent, string? TraceId, string? SpanId, string? SourceService, TraceLinks? Links,
    string? Hash = null, string? PrevHash = null);

/// <summary>Links to an entry's trace and to the logs of that trace, in the viewer they open (Grafana or the Aspire dashboard).</summary>
public sealed record TraceLinks(string Trace, string Logs, string? Viewer = null);

public sealed record AuditEntryPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);

/// <summary>One field that differs: its JSON path, and its value before and after (absent = null).</summary>
public sealed record FieldChange(string Path, string Change, JsonElement? Before, JsonElement? After);

/// <summary>One entry with what changed between its before and after states.</summary>
public sealed record AuditEntryDetail(AuditEntry Entry, IReadOnlyList<FieldChange> Changes);

/// <summary>Counts over a window: by severity, the ten commonest actions and actors, and how many distinct actors acted in all.</summary>
public sealed record AuditStats(DateTimeOffset From, DateTimeOffset To, long Total,
    IReadOnlyDictionary<string, long> BySeverity, IReadOnlyList<CountBy> TopActions, IReadOnlyList<CountBy> TopActors, long DistinctActors);

/// <summary>A count for one key; <c>Label</c> is how people read the key (a name the actor was recorded under), when it has one.</summary>
public sealed record CountBy(string Key, long Count, string? Label = null);
