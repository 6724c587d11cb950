using System.Text.Json;

namespace Audit.Client;

/// <summary>
/// What a service says happened. Everything the current request already knows (trace, tenant, actor,
/// IP, user agent) is filled in by <see cref="IAuditLog.Record"/> when left empty.
/// </summary>
public sealed record AuditRecord
{
    public required string Action { get; init; }
    public string Category { get; init; } = "audit";
    public string Severity { get; init; } = "info";
    public Guid? TenantId { get; init; }
    public AuditActor? Actor { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? ResourceName { get; init; }
    public string? Description { get; init; }
    public object? Before { get; init; }
    public object? After { get; init; }
    public object? Metadata { get; init; }
    public Exception? Error { get; init; }
    public string? ErrorMessage { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
}

public sealed record AuditActor(string Type, string Id, string? Name = null, string? Email = null)
{
    public static AuditActor System(string id) => new("system", id, id);
    public static AuditActor Agent(string id, string? name = null) => new("agent", id, name ?? id);
}

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static JsonElement? ToElement(object? value) => value switch
    {
        null => null,
        JsonElement element => element,
        _ => JsonSerializer.SerializeToElement(value, Options),
    };
}
