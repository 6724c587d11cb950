using System.Diagnostics;

namespace Observability.Tests;

/// <summary>
/// A server of the monitoring stack (Prometheus, Alertmanager) run by a test: its own temporary folder, a free loopback
/// port, ready once /-/ready answers, killed and its folder removed at the end.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly Process _process;

    private LocalServer(Process process, DirectoryInfo folder, Uri url) => (_process, Folder, Url) = (process, folder, url);

    public Uri Url { get; }
    public DirectoryInfo Folder { get; }

    /// <summary>Prometheus scraping one target every second (and any --enable-feature flags given).</summary>
    public static async Task<LocalServer> PrometheusAsync(Uri target, string job, params string[] features)
    {
        var folder = Directory.CreateTempSubdirectory("prometheus-test-");
        var config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: {{job}}
                static_configs:
                  - targets: ["{{target.Authority}}"]
            """);
        var port = PostgresServer.FreePort();
        return await StartAsync("prometheus", folder, port,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}",
             .. features.Select(f => $"--enable-feature={f}")]);
    }

    /// <summary>Alertmanager on the given configuration text, with files to put beside it (e.g. the webhook secret).</summary>
    public static async Task<LocalServer> AlertmanagerAsync(string configuration, IReadOnlyDictionary<string, string> besideIt)
    {
        var folder = Directory.CreateTempSubdirectory("alertmanager-test-");
        var config = Path.Combine(folder.FullName, "alertmanager.yml");
        await File.WriteAllTextAsync(config, configuration);
        foreach (var (name, content) in besideIt)
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), content);
        }

        var port = PostgresServer.FreePort();
        // An empty cluster address keeps a single Alertmanager from listening for peers.
        return await StartAsync("prometheus-alertmanager", folder, port,
            [$"--config.file={config}", $"--storage.path={Path.Combine(folder.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="]);
    }

    private static async Task<LocalServer> StartAsync(string executable, DirectoryInfo folder, int port, string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient();
        await Eventually.Async(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(server.Url, "/-/ready"))).IsSuccessStatusCode ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, seconds: 30);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Folder.Delete(recursive: true);
    }
}
