namespace AuditService.Ingestion;

/// <summary>An event as read from a request body: its fields, and its payloads already in canonical form (or refused).</summary>
public sealed record IncomingEvent(AuditEventDto Fields, Payload Before, Payload After, Payload Metadata)
{
    public static IncomingEvent From(AuditEventDto dto) => new(dto, Payload.Of(dto.Before), Payload.Of(dto.After), Payload.Of(dto.Metadata));
}
