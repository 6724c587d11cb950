using System.Diagnostics;
using Audit.Contracts;

namespace Audit.Client;

/// <summary>
/// An event as Record() leaves it: the before/after/metadata objects are kept by reference and
/// serialised on the sender's thread, which keeps Record() cheap. Callers pass snapshots
/// (anonymous objects, records, JsonElement), not live entities they go on to mutate. <paramref name="Origin"/> is the
/// span that recorded it (with its sampling flag), which the batch that sends it continues or links to.
/// </summary>
internal readonly record struct PendingEvent(AuditEventDto Dto, object? Before, object? After, object? Metadata, ActivityContext Origin = default)
{
    /// <summary>The event ready for the wire. Throws when the state cannot be serialised.</summary>
    public AuditEventDto Materialise()
    {
        Dto.Before ??= AuditJson.ToElement(Before);
        Dto.After ??= AuditJson.ToElement(After);
        Dto.Metadata ??= AuditJson.ToElement(Metadata);
        return Dto;
    }
}
