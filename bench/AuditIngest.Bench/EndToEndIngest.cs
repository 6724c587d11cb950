using System.Net.Http.Headers;

namespace AuditIngest.Bench;

/// <summary>
/// Many clients posting batches to a real AuditService over loopback; counts events acknowledged (= committed).
/// Each client rewrites one prepared body per request (<see cref="BatchBodies"/>): every event is new.
/// </summary>
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
            var bodies = new BatchBodies(Guid.CreateVersion7(), batchSize);
            while (!stop.IsCancellationRequested)
            {
                // Sent with its length, as AuditClient sends.
                using var content = new ByteArrayContent(bodies.Next());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/api/v1/events", content);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref acknowledged, batchSize);
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
