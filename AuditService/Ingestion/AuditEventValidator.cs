using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AuditService.Ingestion;

/// <summary>
/// Turns an incoming event into a stored one, or says for each field what is wrong with it.
/// Strings keep their CR/LF and control characters (they are data); only NUL, which PostgreSQL
/// text cannot hold, is replaced by U+FFFD.
/// </summary>
public sealed partial class AuditEventValidator(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    private const int MaxJsonChars = 64 * 1024;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>An event built in code (its payloads as elements), checked by the same rules as one read from a body.</summary>
    public AuditEvent? Validate(AuditEventDto dto, int? index, IDictionary<string, string[]> errors) =>
        Validate(IncomingEvent.From(dto), index, errors);

    /// <summary>
    /// The stored event, or null with what is wrong in <paramref name="errors"/>, keyed by field: <c>[index].field</c> for
    /// an event of a batch (the key is only formatted for an error: this runs for every event), <c>field</c> for one alone.
    /// </summary>
    public AuditEvent? Validate(IncomingEvent incoming, int? index, IDictionary<string, string[]> errors)
    {
        var dto = incoming.Fields;
        var before = errors.Count;
        var now = clock.GetUtcNow();

        var id = dto.Id;
        if (id is null || id == Guid.Empty)
        {
            Add(errors, index, "id", "is required: a client-generated UUID v7.");
        }
        else if (id.Value.Version != 7)
        {
            Add(errors, index, "id", $"must be a UUID v7; this one is version {id.Value.Version}.");
        }

        if (dto.TenantId is null || dto.TenantId == Guid.Empty)
        {
            Add(errors, index, "tenantId", "is required.");
        }

        var occurredAt = dto.OccurredAt;
        if (occurredAt is null)
        {
            Add(errors, index, "occurredAt", "is required.");
        }
        else if (occurredAt > now + MaxClockSkew)
        {
            Add(errors, index, "occurredAt", "is in the future.");
        }
        else if (occurredAt < now - MaxAge)
        {
            Add(errors, index, "occurredAt", $"is older than {MaxAge.TotalDays} days.");
        }

        var actorType = OneOf(dto.Actor?.Type, AuditVocabulary.ActorTypes, index, "actor.type", errors);
        var actorId = Text(dto.Actor?.Id, 200, required: true, index, "actor.id", errors);
        var actorName = Text(dto.Actor?.Name, 200, required: false, index, "actor.name", errors);
        var actorEmail = Text(dto.Actor?.Email, 320, required: false, index, "actor.email", errors);
        if (actorEmail is not null && !actorEmail.Contains('@', StringComparison.Ordinal))
        {
            Add(errors, index, "actor.email", "is not an email address.");
        }

        var action = Text(dto.Action, 100, required: true, index, "action", errors);
        if (action is not null && !ActionPattern().IsMatch(action))
        {
            Add(errors, index, "action", "must be dot-namespaced lower-case words, e.g. 'tenant.created'.");
        }

        var category = OneOf(dto.Category ?? "audit", AuditVocabulary.Categories, index, "category", errors);
        var severity = OneOf(dto.Severity ?? "info", AuditVocabulary.Severities, index, "severity", errors);
        var resourceType = Text(dto.Resource?.Type, 100, required: dto.Resource is not null, index, "resource.type", errors);
        var resourceId = Text(dto.Resource?.Id, 200, required: false, index, "resource.id", errors);
        var resourceName = Text(dto.Resource?.Name, 300, required: false, index, "resource.name", errors);
        var description = Text(dto.Description, 2000, required: false, index, "description", errors);
        var beforeJson = JsonObject(incoming.Before, index, "before", errors);
        var afterJson = JsonObject(incoming.After, index, "after", errors);
        var metadata = JsonObject(incoming.Metadata, index, "metadata", errors);
        var errorMessage = Text(dto.Error?.Message, 2000, required: dto.Error is not null, index, "error.message", errors);
        var errorStack = Text(dto.Error?.Stack, 16000, required: false, index, "error.stack", errors);
        var userAgent = Text(dto.UserAgent, 1000, required: false, index, "userAgent", errors);
        var sourceService = Text(dto.SourceService, 100, required: false, index, "sourceService", errors);

        IPAddress? ip = null;
        if (!string.IsNullOrEmpty(dto.IpAddress) && !IPAddress.TryParse(dto.IpAddress, out ip))
        {
            Add(errors, index, "ipAddress", "is not an IPv4 or IPv6 address.");
        }

        var traceId = Hex(dto.TraceId, 32, index, "traceId", errors);
        var spanId = Hex(dto.SpanId, 16, index, "spanId", errors);

        if (errors.Count != before)
        {
            return null;
        }

        return new AuditEvent(
            id!.Value, dto.TenantId!.Value, Microseconds.Truncate(occurredAt!.Value),
            actorType!, actorId!, actorName, actorEmail, action!, category!, severity!,
            resourceType, resourceId, resourceName, description, beforeJson, afterJson, metadata,
            errorMessage, errorStack, ip, userAgent, traceId, spanId, sourceService);
    }

    private static string? Text(string? value, int maxLength, bool required, int? index, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(errors, index, field, "is required.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            Add(errors, index, field, $"is longer than {maxLength} characters.");
            return null;
        }

        return value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
    }

    private static string? OneOf(string? value, string[] allowed, int? index, string field, IDictionary<string, string[]> errors)
    {
        if (value is not null && allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        Add(errors, index, field, value is null
            ? $"is required: one of {string.Join(", ", allowed)}."
            : $"must be one of {string.Join(", ", allowed)}.");
        return null;
    }

    private static string? Hex(string? value, int length, int? index, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length != length || value.AsSpan().ContainsAnyExcept(LowerHex) || !value.AsSpan().ContainsAnyExcept('0'))
        {
            Add(errors, index, field, $"must be {length} lower-case hex characters, not all zero (W3C trace context).");
            return null;
        }

        return value;
    }

    private static string? JsonObject(Payload payload, int? index, string field, IDictionary<string, string[]> errors)
    {
        if (payload.Problem is { } problem)
        {
            Add(errors, index, field, problem);
            return null;
        }

        if (payload.Canonical is { Length: > MaxJsonChars })
        {
            Add(errors, index, field, $"is larger than {MaxJsonChars / 1024} KiB.");
            return null;
        }

        return payload.Canonical;
    }

    private static void Add(IDictionary<string, string[]> errors, int? index, string field, string message)
    {
        var key = index is { } i ? $"[{i}].{field}" : field;
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex ActionPattern();
}
