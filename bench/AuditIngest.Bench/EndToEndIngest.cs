using System.Net.Http.Json;

namespace AuditIngest.Bench;

/// <summary>Many clients posting batches to a real AuditService over loopback; counts events acknowledged (= committed).</summary>
public static class EndToEndIngest
{
    public static async Task<long> RunAsync(Uri service, string apiKey, int clients, int batchSize, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
        using var stop = new CancellationTokenSource(duration);
        long acknowledged = 0;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = service };
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var tenant = Guid.CreateVersion7();
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(0, batchSize).Select(i => BenchEvents.New(tenant, i)).ToList();
                using var response = await http.PostAsJsonAsync("/api/v1/events", batch, AuditJsonOptions.Web);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref acknowledged, batch.Count);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));

        if (failures > 0)
        {
            Console.WriteLine($"  end-to-end: {failures} requests not acknowledged (429/503), retried as new batches");
        }

        return acknowledged;
    }
}

internal static class AuditJsonOptions
{
    public static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);
}
