namespace AppHost.Hosting;

public static class HealthProbe
{
    /// <summary>Polls until the check passes, the process it belongs to exits, or the timeout passes.</summary>
    public static async Task WaitAsync(Func<CancellationToken, Task<bool>> check, string what, TimeSpan timeout, CancellationToken ct,
        Task? exited = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (exited is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{what} exited before it became healthy.");
            }

            try
            {
                if (await check(deadline.Token))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException or System.Net.Sockets.SocketException
                && !ct.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                // Not up yet.
            }

            try
            {
                await Task.Delay(250, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} did not become healthy within {timeout.TotalSeconds:0} s.");
            }
        }
    }

    public static Func<CancellationToken, Task<bool>> Http(HttpClient http, string url) => async ct =>
    {
        using var response = await http.GetAsync(url, ct);
        return response.IsSuccessStatusCode;
    };
}
