using System.Diagnostics;
using System.Net.Http.Headers;

namespace Api.Benchmarks;

/// <summary>Closed-loop load: a fixed number of workers send the request back to back; answers completed requests per second.</summary>
internal static class LoadRun
{
    /// <summary>Load without measuring: lets the JIT's tiered compilation reach steady state for this request.</summary>
    public static async Task WarmUpAsync(Uri api, string accessToken, Func<HttpClient, Task<HttpResponseMessage>> send, int workers, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = api };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        await RunAsync(http, send, workers, duration);
    }

    /// <summary>Warms up, then calls <paramref name="measuring"/> as the measured run starts and again as it ends.</summary>
    public static async Task<(double RequestsPerSecond, long Completed)> MeasureAsync(Uri api, string accessToken,
        Func<HttpClient, Task<HttpResponseMessage>> send, int workers, TimeSpan warmup, TimeSpan duration, Action measuring)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = api };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        await RunAsync(http, send, workers, warmup);
        measuring();
        var watch = Stopwatch.StartNew();
        var completed = await RunAsync(http, send, workers, duration);
        var elapsed = watch.Elapsed;
        measuring();
        return (completed / elapsed.TotalSeconds, completed);
    }

    private static async Task<long> RunAsync(HttpClient http, Func<HttpClient, Task<HttpResponseMessage>> send, int workers, TimeSpan duration)
    {
        long completed = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                using var response = await send(http);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                Interlocked.Increment(ref completed);
            }
        }));
        return completed;
    }
}
