using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// The in-memory queue between Record() and the sender; bounded, and never blocking a writer. When it is
/// full the event goes straight to the on-disk queue; only when that is at its cap too is it dropped.
/// </summary>
internal sealed partial class AuditQueue
{
    private readonly Channel<PendingEvent> _channel;
    private readonly AuditClientMetrics _metrics;
    private readonly SpillStore _spill;
    private readonly ILogger<AuditQueue> _logger;

    public AuditQueue(IOptions<AuditClientOptions> options, AuditClientMetrics metrics, SpillStore spill, ILogger<AuditQueue> logger)
    {
        _metrics = metrics;
        _spill = spill;
        _logger = logger;
        _channel = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(options.Value.MemoryQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveQueueLength(() => _channel.Reader.Count);
    }

    public ChannelReader<PendingEvent> Reader => _channel.Reader;

    public void Enqueue(PendingEvent pending)
    {
        _metrics.Queued();
        if (_channel.Writer.TryWrite(pending))
        {
            return;
        }

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
