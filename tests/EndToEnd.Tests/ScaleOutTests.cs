using System.Collections.Concurrent;
using Audit.Contracts;
using Npgsql;

namespace EndToEnd.Tests;

/// <summary>AuditService as two replicas behind Aspire's proxy, written to at once for the same tenants.</summary>
public sealed class ScaleOutTests
{
    private const int Writers = 6;

    [Fact]
    public async Task TwoReplicasStoreEveryAcknowledgedEventOnceAndEveryChainVerifies()
    {
        var ct = Ct;
        await using var host = await PlatformApp.StartAsync(new PlatformOptions { AuditServiceReplicas = 2 }, ct);
        var replicas = await ReplicaAddressesAsync(host);
        Assert.Equal(2, replicas.Count);

        var tenants = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var acknowledged = new ConcurrentDictionary<Guid, bool>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => WriteAsync(host, w, tenants, acknowledged, stop.Token)));
        Assert.True(acknowledged.Count > 500, $"only {acknowledged.Count} events were acknowledged");

        // Both replicas took writes: each one's own request counter (read from its own port, not the proxy).
        using var http = new HttpClient();
        foreach (var replica in replicas)
        {
            var metrics = await http.GetStringAsync(new Uri(replica, "/metrics"), ct);
            Assert.Contains(metrics.Split('\n'), line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains("http_route=\"/api/v1/events\"", StringComparison.Ordinal) && line.Contains("http_response_status_code=\"2", StringComparison.Ordinal));
        }

        // Every acknowledged id is stored exactly once, and nothing else is.
        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(await host.ConnectionStringAsync("postgres")) { Database = "auditdb" }.ConnectionString);
        await db.OpenAsync(ct);
        await using var count = new NpgsqlCommand("SELECT event_id, count(*) FROM audit_events WHERE tenant_id = ANY($1) GROUP BY event_id", db)
        {
            Parameters = { new() { Value = tenants.ToArray() } },
        };
        var stored = new Dictionary<Guid, long>();
        await using (var reader = await count.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetGuid(0)] = reader.GetInt64(1);
            }
        }

        Assert.All(stored, s => Assert.Equal(1, s.Value));
        Assert.Empty(acknowledged.Keys.Except(stored.Keys));

        // And no chain forked: each verifies from its first event to its head.
        http.DefaultRequestHeaders.Add("X-Api-Key", host.Secret("ops-audit-read-key"));
        foreach (var tenant in tenants)
        {
            var verdict = await http.GetFromJsonAsync<JsonElement>(new Uri(host.Url("auditservice"), $"/api/v1/integrity/verify?tenant={tenant}"), ct);
            Assert.True(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());
            Assert.True(verdict.GetProperty("eventsChecked").GetInt64() > 0);
        }
    }

    /// <summary>
    /// A writer as the audit client is one: batches for the same tenants, each resent until acknowledged, every request on
    /// a new connection so the proxy spreads them; every fifth batch is sent twice (a retry after a lost answer).
    /// </summary>
    private static async Task WriteAsync(PlatformApp host, int writer, IReadOnlyList<Guid> tenants, ConcurrentDictionary<Guid, bool> acknowledged,
        CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = host.Url("auditservice"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", host.Secret("api-audit-key"));
        http.DefaultRequestHeaders.ConnectionClose = true;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var batch = Enumerable.Range(0, 20).Select(i => SampleEvents.Load(tenants[(writer + n + i) % tenants.Count], writer, i, "scale-out-tests")).ToList();
            for (var send = 0; send < (n % 5 == 0 ? 2 : 1); send++)
            {
                while (true)
                {
                    using var response = await http.PostAsJsonAsync("/api/v1/events", batch, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    Assert.True((int)response.StatusCode is 429 or 503, $"writer {writer}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                    await Task.Delay(100, CancellationToken.None);
                }
            }

            batch.ForEach(e => acknowledged[e.Id!.Value] = true);
        }
    }

    /// <summary>Each replica's own address: the running instances of "auditservice" and the port DCP gave each.</summary>
    private static async Task<List<Uri>> ReplicaAddressesAsync(PlatformApp host)
    {
        var addresses = new Dictionary<string, Uri>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var e in host.App.ResourceNotifications.WatchAsync(replay.Token))
            {
                if (e.Resource.Name == "auditservice" && e.Snapshot.State?.Text == KnownResourceStates.Running
                    && e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is { } urls)
                {
                    addresses[e.ResourceId] = new Uri(urls.Split(';')[0]);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The current state of every resource has been replayed.
        }

        return [.. addresses.Values];
    }
}
