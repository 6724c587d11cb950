using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// The in-memory queue between Record() and the sender; bounded, and never blocking a writer. When it is
/// full the event goes straight to the on-disk queue; only when that is at its cap too is it dropped.
/// </summary>
internal sealed partial class AuditQueue
{
    private readonly MpscRing<PendingEvent> _ring;
    private readonly int _capacity;
    private int _count;
    private readonly AuditClientMetrics _metrics;
    private readonly SpillStore _spill;
    private readonly ILogger<AuditQueue> _logger;

    public AuditQueue(IOptions<AuditClientOptions> options, AuditClientMetrics metrics, SpillStore spill, ILogger<AuditQueue> logger)
    {
        _metrics = metrics;
        _spill = spill;
        _logger = logger;
        _capacity = options.Value.MemoryQueueCapacity;

        // A preallocated lock-free ring: Record() takes no lock and allocates nothing to queue an event.
        _ring = new MpscRing<PendingEvent>(_capacity);
        metrics.ObserveQueueLength(() => Count);
    }

    public int Count => Volatile.Read(ref _count);

    public ValueTask<bool> WaitToReadAsync(CancellationToken ct) => _ring.WaitToReadAsync(ct);

    public bool TryRead(out PendingEvent pending)
    {
        if (_ring.TryRead(out pending))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    public void Enqueue(PendingEvent pending)
    {
        _metrics.Queued();
        if (Interlocked.Increment(ref _count) <= _capacity && _ring.TryWrite(pending))
        {
            return;
        }

        Interlocked.Decrement(ref _count);
        LogOverflow(_logger, pending.Dto.Id);
        _spill.TryAppend([pending.Materialise()]);
    }

    public void ReportRecordFailure(Exception exception)
    {
        _metrics.Dropped(1);
        LogRecordFailed(_logger, exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit memory queue full: event {EventId} written to disk")]
    private static partial void LogOverflow(ILogger logger, Guid? eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record an audit event")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
