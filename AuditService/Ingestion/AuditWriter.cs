using System.Diagnostics;
using System.Threading.Channels;
using Audit.Contracts;
using AuditService.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AuditService.Ingestion;

/// <summary>
/// The writers of the audit log. Each tenant belongs to one of a few lanes (by a hash of its id); a lane has one
/// connection and commits the requests queued on it together: one transaction, one multi-row INSERT, one fsync
/// for many requests. Lanes own disjoint tenants, so they never contend for a chain head and their commits overlap.
/// A request's task completes only after its group has committed: the API answers 2xx only for durable events.
/// </summary>
public sealed partial class AuditWriter : BackgroundService
{
    private readonly Lane[] _lanes;
    private readonly IngestMetrics _metrics;
    private readonly IngestOptions _options;
    private readonly ILogger<AuditWriter> _logger;
    private int _pending;

    public AuditWriter(NpgsqlDataSource dataSource, TimeProvider clock, IngestMetrics metrics, IOptions<IngestOptions> options,
        Microsoft.Extensions.Hosting.ServiceTelemetry telemetry, ILogger<AuditWriter> logger)
    {
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _lanes = Enumerable.Range(0, _options.WriterConnections).Select(_ => new Lane(new ChainedBatchStore(dataSource, clock, metrics))).ToArray();
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

        var first = LaneOf(events[0].TenantId);
        for (var i = 1; i < events.Count; i++)
        {
            if (LaneOf(events[i].TenantId) != first)
            {
                return WriteAcrossLanesAsync(events);
            }
        }

        return Enqueue(first, events);
    }

    private Task<IReadOnlyList<IngestResult>> Enqueue(int lane, IReadOnlyList<AuditEvent> events)
    {
        var request = new WriteRequest(events);
        if (!_lanes[lane].Queue.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _pending, -events.Count);
            throw new QueueFullException();
        }

        return request.Committed;
    }

    /// <summary>
    /// A batch for tenants of several lanes: each lane commits its share, and the answer keeps the request's order.
    /// If one share fails the request fails, and a retry with the same ids finds the committed share as duplicates.
    /// </summary>
    private async Task<IReadOnlyList<IngestResult>> WriteAcrossLanesAsync(IReadOnlyList<AuditEvent> events)
    {
        var shares = events.Select((e, index) => (e, index)).GroupBy(x => LaneOf(x.e.TenantId)).ToList();
        var committed = shares.Select(share => Enqueue(share.Key, share.Select(x => x.e).ToList())).ToList();
        var results = new IngestResult[events.Count];
        for (var s = 0; s < shares.Count; s++)
        {
            var shareResults = await committed[s];
            var i = 0;
            foreach (var (_, index) in shares[s])
            {
                results[index] = shareResults[i++];
            }
        }

        return results;
    }

    private int LaneOf(Guid tenant) => (int)((uint)tenant.GetHashCode() % (uint)_lanes.Length);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_lanes.Select(lane => RunAsync(lane, stoppingToken)));

    private async Task RunAsync(Lane lane, CancellationToken stoppingToken)
    {
        var batch = new List<WriteRequest>();
        try
        {
            while (await lane.Queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var count = 0;
                while (count < _options.MaxBatchEvents && lane.Queue.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                    count += request.Events.Count;
                }

                await CommitAsync(lane.Store, batch, count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: Kestrel has already drained its requests, so nothing waits here.
        }
        finally
        {
            lane.Store.Reset();
        }
    }

    private async Task CommitAsync(ChainedBatchStore store, List<WriteRequest> batch, int count)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Never cancelled mid-way: a group that started committing finishes, so no request is left unsure.
            var results = await store.CommitAsync(batch, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(results[i]);
            }

            _metrics.Committed(count, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            LogCommitFailed(_logger, ex, batch.Count, count);
            store.Reset();
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

    private sealed record Lane(ChainedBatchStore Store)
    {
        public Channel<WriteRequest> Queue { get; } = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Requests} requests ({Events} events) failed; none was acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int requests, int events);
}
