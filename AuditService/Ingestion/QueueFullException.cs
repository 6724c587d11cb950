namespace AuditService.Ingestion;

public sealed class QueueFullException() : Exception("The write queue is full.");

/// <summary>The database could not commit the batch; nothing of it was acknowledged.</summary>
public sealed class StorageUnavailableException(Exception inner) : Exception("The audit store is unavailable.", inner);
