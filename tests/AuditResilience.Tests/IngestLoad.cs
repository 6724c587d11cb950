using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Audit.Contracts;

namespace AuditResilience.Tests;

/// <summary>
/// Concurrent writers posting batches to AuditService and resending the same batch (same ids) until it is
/// acknowledged, as a client must. With several instances, writer w starts on instance w and each resend goes to the
/// next one, as a client behind a load balancer would. Records every acknowledgement and every answer with its send
/// and receive times.
/// </summary>
public sealed class IngestLoad(IReadOnlyList<Uri> instances, IReadOnlyList<Guid> tenants, int writers, int batchSize)
{
    private readonly ConcurrentDictionary<Guid, bool> _acknowledged = new();
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _batchesAcknowledged;

    public IReadOnlyList<Guid> Acknowledged => _acknowledged.Keys.ToList();
    public IReadOnlyCollection<Answer> Answers => _answers;
    public int BatchesAcknowledged => Volatile.Read(ref _batchesAcknowledged);
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Runs until <paramref name="stopSending"/>; then each writer finishes the batch in hand.</summary>
    public Task RunAsync(CancellationToken stopSending) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(w => WriterAsync(w, stopSending)));

    private async Task WriterAsync(int writer, CancellationToken stopSending)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ResilienceHost.WriteKey);
        var n = 0;
        var instance = writer;
        while (!stopSending.IsCancellationRequested)
        {
            var tenant = tenants[(writer + n++) % tenants.Count];
            var batch = Enumerable.Range(0, batchSize).Select(i => SampleEvents.Load(tenant, writer, i, "resilience-tests")).ToList();
            for (var attempt = 0; ; attempt++)
            {
                var sent = Now;
                int status;
                try
                {
                    using var response = await http.PostAsJsonAsync(new Uri(instances[instance++ % instances.Count], "/api/v1/events"), batch);
                    status = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                _answers.Enqueue(new Answer(sent, Now, status));
                if (status is >= 200 and < 300)
                {
                    foreach (var e in batch)
                    {
                        _acknowledged[e.Id!.Value] = true;
                    }

                    Interlocked.Increment(ref _batchesAcknowledged);
                    break;
                }

                await Task.Delay(Math.Min(1000, 50 * (1 << Math.Min(attempt, 5))) + Random.Shared.Next(50));
            }
        }
    }

    /// <summary>One HTTP answer (status 0 = no answer), with the times the request left and the answer came.</summary>
    public sealed record Answer(TimeSpan Sent, TimeSpan Received, int Status);
}
