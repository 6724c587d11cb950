using System.Diagnostics;
using System.Net.Sockets;
using AppHost.Postgres;
using Aspire.Hosting;

namespace EndToEnd.Tests;

/// <summary>How the AppHost starts and stops: every process it started ends, and the cluster ends "shut down".</summary>
public sealed class AppHostLifecycleTests
{
    [Fact]
    public async Task StoppingTheAppHostEndsEveryProcessAndShutsPostgresDownCleanly()
    {
        await using var host = await PlatformApp.StartAsync(ct: Ct);
        var pids = new[] { "auditservice", "api", "dashboard", "prometheus" }.Select(r => ProcessId(host, r)).ToList();
        var ports = new[] { "auditservice", "api", "dashboard", "prometheus" }.Select(r => host.Url(r).Port).ToList();
        ports.Add(new Npgsql.NpgsqlConnectionStringBuilder(await host.ConnectionStringAsync("postgres")).Port);
        Assert.All(pids, pid => Assert.True(IsRunning(pid)));

        await host.App.StopAsync(Ct);

        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} still runs"));
        await AllEndAsync(host.DataDirectory);
        foreach (var port in ports)
        {
            Assert.False(await IsListeningAsync(port), $"something still listens on {port}");
        }

        Assert.Equal("shut down", await ClusterStateAsync(host.DataDirectory));
    }

    [Fact]
    public async Task CtrlCStopsEveryChildAndShutsPostgresDownCleanly()
    {
        var data = Path.Combine(Path.GetTempPath(), $"apphost-ctrlc-{Guid.NewGuid():N}");
        using var appHost = StartAppHostProcess(data);
        var output = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (e.Data.StartsWith("Ready. Open:", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        appHost.OutputDataReceived += OnLine;
        appHost.ErrorDataReceived += OnLine;
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        try
        {
            // Usually about a minute; the full suite runs several AppHosts at once on two cores, and once this took over 3.
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(6), Ct);
            var children = ProcessesMentioning(data);
            Assert.NotEmpty(children);

            Signals.Interrupt(appHost.Id);
            await appHost.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);

            Assert.Equal(0, appHost.ExitCode);
            await AllEndAsync(data);
            Assert.Equal("shut down", await ClusterStateAsync(data));
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"The AppHost did not start and stop as expected:\n{string.Join('\n', output)}", ex);
        }
        finally
        {
            if (!appHost.HasExited)
            {
                appHost.Kill(entireProcessTree: true);
            }

            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutPostgreSqlTheConsoleSaysHowToInstallItAndNothingStartsOnAMissingDatabase()
    {
        await using var host = await PlatformApp.StartAsync(new PlatformOptions
        {
            Arguments = ["--AppHost:PostgresBin=/nonexistent"],
            WaitUntilHealthy = false,
        }, Ct);

        await host.App.ResourceNotifications.WaitForResourceAsync("postgres", KnownResourceStates.FailedToStart, Ct);

        await Eventually.Async(() => Task.FromResult(host.Output.Contains("apt-get install -y postgresql", StringComparison.Ordinal) ? "" : null));
        Assert.True(host.App.ResourceNotifications.TryGetCurrentState("api", out var api));
        Assert.NotEqual(KnownResourceStates.Running, api.Snapshot.State?.Text);
    }

    [Fact]
    public async Task WithConnectionStringsPostgresTheServicesUseThatServerWithTheirOwnRoles()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var host = await PlatformApp.StartAsync(new PlatformOptions { Arguments = [$"--ConnectionStrings:postgres={server.AdminConnectionString()}"] },
            Ct);

        // No local cluster was made; the services' databases and roles are on the given server.
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "postgres")));
        await using var connection = new Npgsql.NpgsqlConnection(server.AdminConnectionString());
        await connection.OpenAsync(Ct);
        await using var roles = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('appdb_owner', 'appdb_app', 'auditdb_owner', 'auditdb_app') AND NOT rolbypassrls AND NOT rolsuper", connection);
        Assert.Equal(4L, await roles.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task AsRootAClusterInAFolderThePostgresUserCannotEnterLivesBesideItAndWorks()
    {
        Assert.SkipUnless(PostgresBinaries.RunningAsRoot, "Only root runs PostgreSQL as another OS user.");
        // Like a clone under /root or in a `mktemp -d` folder: closed to every other user.
        var closed = Directory.CreateTempSubdirectory("apphost-closed-");
        File.SetUnixFileMode(closed.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await using var host = await PlatformApp.StartAsync(new PlatformOptions { DataDirectory = Path.Combine(closed.FullName, ".data") },
                Ct);

            var link = new DirectoryInfo(Path.Combine(host.DataDirectory, "postgres"));
            Assert.NotNull(link.LinkTarget);
            Assert.False(link.LinkTarget.StartsWith(closed.FullName, StringComparison.Ordinal));
            using var http = new HttpClient();
            var health = await http.GetAsync(new Uri(host.Url("auditservice"), "/health"), Ct);
            Assert.True(health.IsSuccessStatusCode);
        }
        finally
        {
            closed.Delete(recursive: true);
        }
    }

    private static Process StartAppHostProcess(string data)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppHostAssembly())!,
        };
        info.ArgumentList.Add(AppHostAssembly());
        foreach (var arg in new[]
                 {
                     $"--AppHost:DataDirectory={data}", "--AppHost:EphemeralSecrets=true", "--AppHost:TrafficGenerator=false",
                     $"--Ports:postgres={PostgresServer.FreePort()}", $"--Ports:prometheus={PostgresServer.FreePort()}",
                     $"--Ports:auditservice={PostgresServer.FreePort()}", $"--Ports:api={PostgresServer.FreePort()}",
                     $"--Ports:dashboard={PostgresServer.FreePort()}", $"--Ports:alertmanager={PostgresServer.FreePort()}",
                     $"--Ports:postgres-exporter={PostgresServer.FreePort()}",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        // What the launch profile sets for `dotnet run --project AppHost`, on free ports.
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://localhost:{PostgresServer.FreePort()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{PostgresServer.FreePort()}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{PostgresServer.FreePort()}";
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        return Process.Start(info)!;
    }

    private static string AppHostAssembly() =>
        Path.Combine(Projects.AppHost.ProjectPath, "bin",
            typeof(AppHostLifecycleTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
                .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug",
            "net10.0", "AppHost.dll");

    private static int ProcessId(PlatformApp host, string resource)
    {
        Assert.True(host.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} has no state");
        return Convert.ToInt32(state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static async Task<string> ClusterStateAsync(string dataDirectory)
    {
        var binaries = PostgresBinaries.Find()!;
        var directory = new DirectoryInfo(Path.Combine(dataDirectory, "postgres"));
        var cluster = new PostgresCluster(binaries, directory.LinkTarget ?? directory.FullName, 0, "");
        return await cluster.StateAsync(CancellationToken.None);
    }

    /// <summary>
    /// Every process that mentions the AppHost's data folder ends within a few seconds of the AppHost: DCP has signalled
    /// them all by then, but under load one can still be in its own shutdown (Prometheus writing its head block).
    /// </summary>
    private static async Task AllEndAsync(string dataDirectory)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<string> left;
        while ((left = ProcessesMentioning(dataDirectory)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, Ct);
        }

        Assert.Empty(left);
    }

    private static List<string> ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return "";
                }
            })
            .Where(cmd => cmd.Contains(text, StringComparison.Ordinal) && !cmd.Contains("AppHost.dll", StringComparison.Ordinal))
            .ToList();

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
