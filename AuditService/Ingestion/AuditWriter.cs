using System.Diagnostics;
using System.Threading.Channels;
using Audit.Contracts;
using AuditService.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AuditService.Ingestion;

/// <summary>
/// The single writer of the audit log. Concurrent requests queue here and are committed together:
/// one transaction, one multi-row INSERT of binary arrays, one fsync for many requests. A request's task completes only
/// after its group has committed, which is what lets the API answer 2xx only for durable events.
/// </summary>
public sealed partial class AuditWriter : BackgroundService
{
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly ChainedBatchStore _store;
    private readonly IngestMetrics _metrics;
    private readonly IngestOptions _options;
    private readonly ILogger<AuditWriter> _logger;
    private int _pending;

    public AuditWriter(ChainedBatchStore store, IngestMetrics metrics, IOptions<IngestOptions> options,
        Microsoft.Extensions.Hosting.ServiceTelemetry telemetry, ILogger<AuditWriter> logger)
    {
        _store = store;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        metrics.ObserveQueueDepth(() => Volatile.Read(ref _pending), telemetry);
    }

    public int QueueDepth => Volatile.Read(ref _pending);

    /// <summary>Queues the events; the task completes when they are committed. Throws <see cref="QueueFullException"/> at capacity.</summary>
    public Task<IReadOnlyList<IngestResult>> WriteAsync(IReadOnlyList<AuditEvent> events)
    {
        if (Interlocked.Add(ref _pending, events.Count) > _options.QueueCapacity)
        {
            Interlocked.Add(ref _pending, -events.Count);
            throw new QueueFullException();
        }

        var request = new WriteRequest(events);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _pending, -events.Count);
            throw new QueueFullException();
        }

        return request.Committed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<WriteRequest>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var count = 0;
                while (count < _options.MaxBatchEvents && _queue.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                    count += request.Events.Count;
                }

                await CommitAsync(batch, count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: Kestrel has already drained its requests, so nothing waits here.
        }
    }

    private async Task CommitAsync(List<WriteRequest> batch, int count)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Never cancelled mid-way: a group that started committing finishes, so no request is left unsure.
            var results = await _store.CommitAsync(batch, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(results[i]);
            }

            _metrics.Committed(count, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            LogCommitFailed(_logger, ex, batch.Count, count);
            _store.Reset();
            foreach (var request in batch)
            {
                request.Fail(new StorageUnavailableException(ex));
            }
        }
        finally
        {
            Interlocked.Add(ref _pending, -count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Requests} requests ({Events} events) failed; none was acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int requests, int events);
}
