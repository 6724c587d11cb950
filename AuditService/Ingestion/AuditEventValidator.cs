using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Audit.Contracts;
using AuditService.Chain;
using AuditService.Data;

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
    public AuditEvent? Validate(AuditEventDto dto, string path, IDictionary<string, string[]> errors) =>
        Validate(IncomingEvent.From(dto), path, errors);

    public AuditEvent? Validate(IncomingEvent incoming, string path, IDictionary<string, string[]> errors)
    {
        var dto = incoming.Fields;
        var before = errors.Count;
        var now = clock.GetUtcNow();

        var id = dto.Id;
        if (id is null || id == Guid.Empty)
        {
            Add(errors, path, "id", "is required: a client-generated UUID v7.");
        }
        else if (id.Value.Version != 7)
        {
            Add(errors, path, "id", $"must be a UUID v7; this one is version {id.Value.Version}.");
        }

        if (dto.TenantId is null || dto.TenantId == Guid.Empty)
        {
            Add(errors, path, "tenantId", "is required.");
        }

        var occurredAt = dto.OccurredAt;
        if (occurredAt is null)
        {
            Add(errors, path, "occurredAt", "is required.");
        }
        else if (occurredAt > now + MaxClockSkew)
        {
            Add(errors, path, "occurredAt", "is in the future.");
        }
        else if (occurredAt < now - MaxAge)
        {
            Add(errors, path, "occurredAt", $"is older than {MaxAge.TotalDays} days.");
        }

        var actorType = OneOf(dto.Actor?.Type, AuditVocabulary.ActorTypes, path, "actor.type", errors);
        var actorId = Text(dto.Actor?.Id, 200, required: true, path, "actor.id", errors);
        var actorName = Text(dto.Actor?.Name, 200, required: false, path, "actor.name", errors);
        var actorEmail = Text(dto.Actor?.Email, 320, required: false, path, "actor.email", errors);
        if (actorEmail is not null && !actorEmail.Contains('@', StringComparison.Ordinal))
        {
            Add(errors, path, "actor.email", "is not an email address.");
        }

        var action = Text(dto.Action, 100, required: true, path, "action", errors);
        if (action is not null && !ActionPattern().IsMatch(action))
        {
            Add(errors, path, "action", "must be dot-namespaced lower-case words, e.g. 'tenant.created'.");
        }

        var category = OneOf(dto.Category ?? "audit", AuditVocabulary.Categories, path, "category", errors);
        var severity = OneOf(dto.Severity ?? "info", AuditVocabulary.Severities, path, "severity", errors);
        var resourceType = Text(dto.Resource?.Type, 100, required: dto.Resource is not null, path, "resource.type", errors);
        var resourceId = Text(dto.Resource?.Id, 200, required: false, path, "resource.id", errors);
        var resourceName = Text(dto.Resource?.Name, 300, required: false, path, "resource.name", errors);
        var description = Text(dto.Description, 2000, required: false, path, "description", errors);
        var beforeJson = JsonObject(incoming.Before, path, "before", errors);
        var afterJson = JsonObject(incoming.After, path, "after", errors);
        var metadata = JsonObject(incoming.Metadata, path, "metadata", errors);
        var errorMessage = Text(dto.Error?.Message, 2000, required: dto.Error is not null, path, "error.message", errors);
        var errorStack = Text(dto.Error?.Stack, 16000, required: false, path, "error.stack", errors);
        var userAgent = Text(dto.UserAgent, 1000, required: false, path, "userAgent", errors);
        var sourceService = Text(dto.SourceService, 100, required: false, path, "sourceService", errors);

        IPAddress? ip = null;
        if (!string.IsNullOrEmpty(dto.IpAddress) && !IPAddress.TryParse(dto.IpAddress, out ip))
        {
            Add(errors, path, "ipAddress", "is not an IPv4 or IPv6 address.");
        }

        var traceId = Hex(dto.TraceId, 32, path, "traceId", errors);
        var spanId = Hex(dto.SpanId, 16, path, "spanId", errors);

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

    private static string? Text(string? value, int maxLength, bool required, string path, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(errors, path, field, "is required.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            Add(errors, path, field, $"is longer than {maxLength} characters.");
            return null;
        }

        return value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
    }

    private static string? OneOf(string? value, string[] allowed, string path, string field, IDictionary<string, string[]> errors)
    {
        if (value is not null && allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        Add(errors, path, field, value is null
            ? $"is required: one of {string.Join(", ", allowed)}."
            : $"must be one of {string.Join(", ", allowed)}.");
        return null;
    }

    private static string? Hex(string? value, int length, string path, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length != length || value.AsSpan().ContainsAnyExcept(LowerHex) || !value.AsSpan().ContainsAnyExcept('0'))
        {
            Add(errors, path, field, $"must be {length} lower-case hex characters, not all zero (W3C trace context).");
            return null;
        }

        return value;
    }

    private static string? JsonObject(Payload payload, string path, string field, IDictionary<string, string[]> errors)
    {
        if (payload.Problem is { } problem)
        {
            Add(errors, path, field, problem);
            return null;
        }

        if (payload.Canonical is { Length: > MaxJsonChars })
        {
            Add(errors, path, field, $"is larger than {MaxJsonChars / 1024} KiB.");
            return null;
        }

        return payload.Canonical;
    }

    private static void Add(IDictionary<string, string[]> errors, string path, string field, string message)
    {
        var key = path.Length == 0 ? field : $"{path}.{field}";
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex ActionPattern();
}
