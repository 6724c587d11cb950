using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Audit.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// Sends queued events in batches. When a batch cannot be delivered (network, 429, 5xx) it goes to the
/// on-disk queue at once, and so does everything recorded while AuditService stays away; the oldest spilled
/// batch is retried with exponential backoff and jitter (honouring Retry-After) and, once it gets through,
/// the rest follow. A batch leaves the disk only after a 2xx, which AuditService sends only once the whole batch is
/// committed (a batch is stored all or nothing). An invalid or conflicting event is isolated from its batch and
/// logged, so one bad event never holds back the others.
/// </summary>
internal sealed partial class AuditSender(
    HttpClient http, AuditQueue queue, SpillStore spill, AuditClientMetrics metrics, IOptions<AuditClientOptions> options,
    ILogger<AuditSender> logger) : BackgroundService
{
    public const string HttpClientName = "audit-client";
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(5);
    private readonly List<AuditEventDto> _batch = new(options.Value.MaxBatchSize);

    // The spans that recorded the events in _batch, in the same order (default where none was current).
    private readonly List<ActivityContext> _origins = new(options.Value.MaxBatchSize);

    // The one send loop's request body: a batch is sent with its length, so AuditService sizes its buffer once and
    // can refuse an oversized body before reading it; the buffer is reused from batch to batch.
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);
    private int _attempt;
    private long _retryAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!await SendOrSpillAsync(stoppingToken))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Never let a surprise stop the sender (and with it the host): log, pause, carry on.
                    LogSenderFailed(logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The batch in hand may or may not have arrived; it is resent (ids make that harmless).
        }

        await FlushAtShutdownAsync();
    }

    /// <summary>One step: replay from disk, or send (or spill) what is in memory. False once the queue is closed.</summary>
    private async Task<bool> SendOrSpillAsync(CancellationToken stoppingToken)
    {
        if (spill.HasPending)
        {
            if (Stopwatch.GetTimestamp() < _retryAt)
            {
                await SpillWhileWaitingAsync(stoppingToken);
            }
            else
            {
                await ReplayOldestAsync(stoppingToken);
            }

            return true;
        }

        if (_batch.Count == 0 && !await queue.WaitToReadAsync(stoppingToken))
        {
            return false;
        }

        if (queue.Count < options.Value.MaxBatchSize && options.Value.BatchDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.BatchDelay, stoppingToken);
        }

        Fill();
        var undelivered = await DeliverAsync(_batch, stoppingToken, _origins);
        spill.TryAppend(undelivered);
        ClearBatch();
        return true;
    }

    /// <summary>Backing off: whatever is recorded meanwhile goes to disk behind the batches already there.</summary>
    private async Task SpillWhileWaitingAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _retryAt);
        wait.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        try
        {
            if (await queue.WaitToReadAsync(wait.Token))
            {
                Fill();
                spill.TryAppend(_batch);
                ClearBatch();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Time to retry.
        }
    }

    private async Task ReplayOldestAsync(CancellationToken ct)
    {
        if (spill.Oldest() is not { } oldest)
        {
            return;
        }

        if (oldest.Events.Count == 0)
        {
            spill.Remove(oldest.Path);
            return;
        }

        var undelivered = await DeliverAsync(oldest.Events, ct);
        if (undelivered.Count == oldest.Events.Count)
        {
            return; // nothing got through: keep the file as it is
        }

        // Part went through (an invalid event was isolated): keep the rest, then let the file go.
        spill.TryAppend(undelivered);
        spill.Remove(oldest.Path);
    }

    /// <summary>
    /// Sends the batch; returns the events not delivered yet (to keep on disk), and sets the next retry time.
    /// <paramref name="origins"/> are the recording spans of a batch from memory; a batch from disk has only the ids.
    /// </summary>
    private async Task<IReadOnlyList<AuditEventDto>> DeliverAsync(List<AuditEventDto> batch, CancellationToken ct, List<ActivityContext>? origins = null)
    {
        Outcome outcome;
        using (var span = AuditSendTelemetry.StartSend(batch, origins))
        {
            outcome = await TrySendAsync(batch, ct);
            AuditSendTelemetry.End(span, outcome.Kind == OutcomeKind.Sent, outcome.Kind.ToString().ToLowerInvariant(), outcome.Detail);
        }

        switch (outcome.Kind)
        {
            case OutcomeKind.Sent:
                metrics.Sent(batch.Count);
                _attempt = 0;
                return [];
            case OutcomeKind.Invalid when batch.Count > 1:
                var undelivered = new List<AuditEventDto>();
                foreach (var single in batch)
                {
                    undelivered.AddRange(await DeliverAsync([single], ct));
                }

                return undelivered;
            case OutcomeKind.Invalid:
                metrics.Rejected(1);
                LogRejected(logger, batch[0].Id, batch[0].Action, outcome.Detail);
                return [];
            default:
                var delay = outcome.RetryAfter ?? Backoff(_attempt++);
                _retryAt = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                LogRetrying(logger, batch.Count, outcome.Detail, delay.TotalMilliseconds);
                return batch.ToList();
        }
    }

    /// <summary>At shutdown: a last quick try to send what is in memory; what does not get through waits on disk.</summary>
    private async Task FlushAtShutdownAsync()
    {
        using var flush = new CancellationTokenSource(ShutdownFlush);
        var reachable = !spill.HasPending;
        try
        {
            while (_batch.Count > 0 || queue.Count > 0)
            {
                Fill();
                var undelivered = reachable ? await DeliverAsync(_batch, flush.Token, _origins) : _batch;
                reachable = reachable && undelivered.Count == 0;
                spill.TryAppend(undelivered);
                ClearBatch();
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: the rest goes to disk below.
        }

        while (_batch.Count > 0 || queue.Count > 0)
        {
            Fill();
            spill.TryAppend(_batch);
            ClearBatch();
        }
    }

    private void ClearBatch()
    {
        _batch.Clear();
        _origins.Clear();
    }

    private void Fill()
    {
        while (_batch.Count < options.Value.MaxBatchSize && queue.TryRead(out var pending))
        {
            try
            {
                _batch.Add(pending.Materialise());
                _origins.Add(pending.Origin);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
            {
                metrics.Rejected(1);
                LogUnserialisable(logger, ex, pending.Dto.Id, pending.Dto.Action);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter: a random wait up to the exponential bound, so many clients do not retry in step.
        var bound = Math.Min(options.Value.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound + 50);
    }

    private async Task<Outcome> TrySendAsync(List<AuditEventDto> batch, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SendTimeout);
        try
        {
            _body.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_body))
            {
                JsonSerializer.Serialize(writer, batch, AuditJson.Options);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.Endpoint, "/api/v1/events"))
            {
                Content = new ReadOnlyMemoryContent(_body.WrittenMemory) { Headers = { ContentType = new MediaTypeHeaderValue("application/json", "utf-8") } },
            };
            request.Headers.Add(ApiKeyFormat.Header, options.Value.ApiKey);
            using var response = await http.SendAsync(request, timeout.Token);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return response.StatusCode switch
            {
                >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices => new Outcome(OutcomeKind.Sent, null, null),
                // The request itself is wrong for these events: isolate and report them rather than retry forever. A
                // conflict (an id stored before with other content) refuses the whole batch, so the others go alone.
                HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Conflict
                    => new Outcome(OutcomeKind.Invalid, await response.Content.ReadAsStringAsync(ct), null),
                _ => new Outcome(OutcomeKind.Retry, $"HTTP {(int)response.StatusCode}", retryAfter),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new Outcome(OutcomeKind.Retry, ex.GetType().Name, null);
        }
    }

    private enum OutcomeKind
    {
        Sent,
        Invalid,
        Retry,
    }

    private sealed record Outcome(OutcomeKind Kind, string? Detail, TimeSpan? RetryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit batch of {Count} not delivered ({Reason}); kept on disk, next try in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, int count, string? reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "AuditService rejected event {EventId} ({Action}) as invalid: {Problem}")]
    private static partial void LogRejected(ILogger logger, Guid? eventId, string? action, string? problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit sender failed unexpectedly; it carries on")]
    private static partial void LogSenderFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit event {EventId} ({Action}) has state that cannot be serialised; not sent")]
    private static partial void LogUnserialisable(ILogger logger, Exception exception, Guid? eventId, string? action);
}
