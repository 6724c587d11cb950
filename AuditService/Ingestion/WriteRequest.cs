namespace AuditService.Ingestion;

/// <summary>One request's events, waiting for the group commit that makes them durable.</summary>
public sealed class WriteRequest(IReadOnlyList<AuditEvent> events)
{
    private readonly TaskCompletionSource<IReadOnlyList<IngestResult>> _done =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<AuditEvent> Events { get; } = events;

    public Task<IReadOnlyList<IngestResult>> Committed => _done.Task;

    public void Complete(IReadOnlyList<IngestResult> results) => _done.TrySetResult(results);

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
