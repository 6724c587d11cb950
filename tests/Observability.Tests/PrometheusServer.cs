using System.Diagnostics;
using Testing;

namespace Observability.Tests;

/// <summary>A Prometheus of the test's own (temporary folder, free port) scraping one target every second.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private PrometheusServer(Process process, DirectoryInfo folder, Uri url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PrometheusServer> StartAsync(Uri target, string job, params string[] features)
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
        var info = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        }.Concat(features.Select(f => $"--enable-feature={f}")))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
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
        _folder.Delete(recursive: true);
    }
}
