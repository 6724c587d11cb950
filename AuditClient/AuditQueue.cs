using System.Threading.Channels;
using Audit.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>The in-memory queue between Record() and the sender; bounded, and never blocking a writer.</summary>
internal sealed partial class AuditQueue
{
    private readonly Channel<AuditEventDto> _channel;
    private readonly AuditClientMetrics _metrics;
    private readonly ILogger<AuditQueue> _logger;

    public AuditQueue(IOptions<AuditClientOptions> options, AuditClientMetrics metrics, ILogger<AuditQueue> logger)
    {
        _metrics = metrics;
        _logger = logger;
        _channel = Channel.CreateBounded<AuditEventDto>(new BoundedChannelOptions(options.Value.MemoryQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveQueueLength(() => _channel.Reader.Count);
    }

    public ChannelReader<AuditEventDto> Reader => _channel.Reader;

    public void Enqueue(AuditEventDto dto)
    {
        if (_channel.Writer.TryWrite(dto))
        {
            _metrics.Queued();
            return;
        }

        _metrics.Dropped(1);
        LogDropped(_logger, dto.Id, dto.Action);
    }

    public void ReportRecordFailure(Exception exception)
    {
        _metrics.Dropped(1);
        LogRecordFailed(_logger, exception);
    }

    public void Complete() => _channel.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit queue full: event {EventId} ({Action}) dropped")]
    private static partial void LogDropped(ILogger logger, Guid? eventId, string? action);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record an audit event")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
