using System.Text.Json;

namespace Audit.Contracts;

/// <summary>One audit or activity event as it travels over HTTP to AuditService (JSON, camelCase).</summary>
public sealed class AuditEventDto
{
    /// <summary>Client-generated UUID v7; the idempotency key.</summary>
    public Guid? Id { get; set; }
    public Guid? TenantId { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public ActorDto? Actor { get; set; }
    public string? Action { get; set; }
    public string? Category { get; set; }
    public string? Severity { get; set; }
    public ResourceDto? Resource { get; set; }
    public string? Description { get; set; }
    public JsonElement? Before { get; set; }
    public JsonElement? After { get; set; }
    public JsonElement? Metadata { get; set; }
    public ErrorDto? Error { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? TraceId { get; set; }
    public string? SpanId { get; set; }
    public string? SourceService { get; set; }
}

public sealed class ActorDto
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
}

public sealed class ResourceDto
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
}

public sealed class ErrorDto
{
    public string? Message { get; set; }
    public string? Stack { get; set; }
}
