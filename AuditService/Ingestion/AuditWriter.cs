using System.Diagnostics;
using System.Threading.Channels;
using AuditService.Integrity;

namespace AuditService.Ingestion;

/// <summary>
/// The writers of the audit log. Each tenant belongs to one of a few lanes (by a hash of its id); a lane has one
/// connection and commits the requests queued on it together: one transaction, one multi-row INSERT, one fsync
/// for many requests. Lanes own disjoint tenants, so they rarely contend for a chain head and their commits overlap.
/// A request's task completes only after its group has committed: the API answers 2xx only for durable events, and
/// a request is committed whole by one lane (see <see cref="WriteAsync"/>), so its answer is all or nothing.
/// </summary>
public sealed partial class AuditWriter : BackgroundService
{
    private readonly Lane[] _lanes;
    private readonly IngestMetrics _metrics;
    private readonly IngestOptions _options;
    private readonly ILogger<AuditWriter> _logger;
    private int _pending;

    public AuditWriter(AuditDb db, TimeProvider clock, IngestMetrics metrics, IOptions<IngestOptions> options,
        Signer signer, IOptions<IntegrityOptions> integrity, Microsoft.Extensions.Hosting.ServiceTelemetry telemetry, ILogger<AuditWriter> logger)
    {
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _lanes = Enumerable.Range(0, _options.WriterConnections)
            .Select(_ => new Lane(new ChainedBatchStore(db, clock, metrics, signer, integrity.Value.CheckpointEvery))).ToArray();
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

        // A request for tenants of several lanes goes whole to the first one's lane: one transaction, so it is stored
        // entirely or not at all (committing each lane's share apart could store half and answer "not stored"). It
        // then also locks heads of the other lane's tenants, which only orders the two commits: heads are locked in
        // tenant order everywhere, so the lanes never deadlock.
        return Enqueue(LaneOf(events[0].TenantId), events);
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
