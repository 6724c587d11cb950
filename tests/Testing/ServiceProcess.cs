using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Testing;

/// <summary>
/// One of our services run as a real process (its built dll, on a free loopback port), so that a test can
/// SIGKILL it, stop it gracefully and start it again on the same port with the same settings. <c>project</c> names a
/// project of this repository (its build output in the current configuration), or is the path of a built dll (a
/// benchmark's other build of a service).
/// </summary>
public sealed class ServiceProcess(string project, IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; } = PostgresServer.FreePort();
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public string Output => string.Join('\n', _output.TakeLast(200));

    /// <summary>The running process's id (benchmarks read its CPU time from /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var dll = DllPath(project);
        info.ArgumentList.Add(dll);
        // The content root is the working directory: the build output holds appsettings.json.
        info.WorkingDirectory = Path.GetDirectoryName(dll)!;
        info.Environment["ASPNETCORE_URLS"] = Url.ToString();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{project} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Probe.GetAsync(new Uri(Url, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{project} did not become healthy:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, in-flight requests are cut.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the host's graceful shutdown runs.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }

    private static string DllPath(string project)
    {
        if (project.EndsWith(".dll", StringComparison.Ordinal))
        {
            return Path.GetFullPath(project);
        }

        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return Path.Combine(dir.FullName, project, "bin", configuration, "net10.0", $"{project}.dll");
            }
        }

        throw new InvalidOperationException("Repository root (Aspire.sln) not found.");
    }
}
