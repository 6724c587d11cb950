using System.Net;
using System.Net.Http.Json;
using Audit.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// Sends queued events in batches. Transient failures (network, 429, 5xx) are retried with exponential
/// backoff and jitter, honouring Retry-After; an invalid event is isolated from its batch and logged
/// as an error, so that one bad event never holds back or loses the others.
/// </summary>
internal sealed partial class AuditSender(
    HttpClient http, AuditQueue queue, AuditClientMetrics metrics, IOptions<AuditClientOptions> options,
    ILogger<AuditSender> logger) : BackgroundService
{
    public const string HttpClientName = "audit-client";
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEventDto>(options.Value.MaxBatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(batch);
                await SendWithRetryAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Fall through to the final flush.
        }

        using var flush = new CancellationTokenSource(ShutdownFlush);
        try
        {
            while (batch.Count > 0 || queue.Reader.Count > 0)
            {
                if (batch.Count == 0)
                {
                    Fill(batch);
                }

                await SendWithRetryAsync(batch, flush.Token);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            LogUnsentAtShutdown(logger, batch.Count + queue.Reader.Count);
        }
    }

    private void Fill(List<AuditEventDto> batch)
    {
        while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task SendWithRetryAsync(List<AuditEventDto> batch, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await TrySendAsync(batch, ct);
            switch (outcome.Kind)
            {
                case OutcomeKind.Sent:
                    metrics.Sent(batch.Count);
                    return;
                case OutcomeKind.Invalid when batch.Count > 1:
                    // Isolate the bad event(s): send each on its own.
                    foreach (var single in batch)
                    {
                        await SendWithRetryAsync([single], ct);
                    }

                    return;
                case OutcomeKind.Invalid:
                    metrics.Rejected(1);
                    LogRejected(logger, batch[0].Id, batch[0].Action, outcome.Detail);
                    return;
                default:
                    var delay = outcome.RetryAfter ?? Backoff(attempt);
                    LogRetrying(logger, batch.Count, outcome.Detail, delay.TotalMilliseconds);
                    await Task.Delay(delay, ct);
                    break;
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
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.Endpoint, "/api/v1/events"))
            {
                Content = JsonContent.Create(batch, options: AuditJson.Options),
            };
            request.Headers.Add("X-Api-Key", options.Value.ApiKey);
            using var response = await http.SendAsync(request, ct);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new Outcome(OutcomeKind.Sent, null, null),
                HttpStatusCode.BadRequest => new Outcome(OutcomeKind.Invalid, await response.Content.ReadAsStringAsync(ct), null),
                _ => new Outcome(OutcomeKind.Retry, $"HTTP {(int)response.StatusCode}", retryAfter),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit batch of {Count} not delivered ({Reason}); retrying in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, int count, string? reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "AuditService rejected event {EventId} ({Action}) as invalid: {Problem}")]
    private static partial void LogRejected(ILogger logger, Guid? eventId, string? action, string? problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} audit events were still unsent at shutdown")]
    private static partial void LogUnsentAtShutdown(ILogger logger, int count);
}
