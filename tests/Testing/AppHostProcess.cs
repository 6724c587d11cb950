using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Testing;

/// <summary>
/// The real AppHost, run as a process the way a developer runs it, but on free ports and with a
/// throwaway data folder, so that tests see the whole resource graph across process boundaries.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, string dataDirectory, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Ports = ports;
    }

    public string DataDirectory { get; }
    public IReadOnlyDictionary<string, int> Ports { get; }
    public string Output => string.Join('\n', _output);
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public Uri Url(string resource) => new($"http://localhost:{Ports[resource]}");

    public static readonly string[] Resources = ["postgres", "prometheus", "auditservice", "api", "dashboard"];

    public static AppHostProcess Start(IDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        var ports = Resources.ToDictionary(r => r, _ => PostgresServer.FreePort());
        var data = Path.Combine(Path.GetTempPath(), $"apphost-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppHostAssembly());
        info.ArgumentList.Add($"--AppHost:DataDirectory={data}");
        // Tests drive the Api themselves; pass --AppHost:TrafficGenerator=true in extraArgs to have background traffic.
        info.ArgumentList.Add("--AppHost:TrafficGenerator=false");
        foreach (var (name, port) in ports)
        {
            info.ArgumentList.Add($"--Ports:{name}={port}");
        }

        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process, data, ports);
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            host._output.Enqueue(e.Data);
            if (e.Data.Contains("Ready: every resource is up", StringComparison.Ordinal))
            {
                host._ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (done != _ready.Task)
        {
            throw new InvalidOperationException($"The AppHost did not become ready ({(done == exited ? $"exited {_process.ExitCode}" : "timed out")}):\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>What a developer's Ctrl+C does.</summary>
    public void Interrupt() => _ = Kill(_process.Id, 2);

    public string Secret(string name) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(DataDirectory, "secrets.json")))![name];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Interrupt();
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    private static string AppHostAssembly()
    {
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "AppHost", "bin", configuration, "net10.0", "AppHost.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("AppHost.dll not found; build the solution first.");
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
