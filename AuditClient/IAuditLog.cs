namespace Audit.Client;

public interface IAuditLog
{
    /// <summary>
    /// Queues the event and returns at once: it never blocks the caller and never throws into it.
    /// The returned id is the event's idempotency key.
    /// </summary>
    Guid Record(AuditRecord record);
}
