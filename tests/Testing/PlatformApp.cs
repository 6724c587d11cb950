using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Testing;

/// <summary>What a test changes about the AppHost's graph.</summary>
public sealed record PlatformOptions
{
    /// <summary>The traffic generator's rounds (off unless a test wants background traffic).</summary>
    public bool Traffic { get; init; }

    /// <summary>The Aspire dashboard (off by default, as Aspire.Hosting.Testing has it): needed to follow trace links.</summary>
    public bool AspireDashboard { get; init; }

    public int AuditServiceReplicas { get; init; } = 1;

    /// <summary>Where the AppHost keeps its local state; a fresh temp folder when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Further AppHost arguments, e.g. --AppHost:PostgresBin=/nowhere.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Whether StartAsync returns only once every service is healthy.</summary>
    public bool WaitUntilHealthy { get; init; } = true;

    /// <summary>Extra settings per resource, e.g. ("api", "Plans__free__MonthlyBudgetUsd", "0.0001").</summary>
    public IReadOnlyList<(string Resource, string Key, string Value)> Environment { get; init; } = [];
}

/// <summary>
/// The real AppHost started through Aspire.Hosting.Testing: DCP runs every resource as `dotnet run --project AppHost`
/// does, on free ports (Aspire randomises the services' proxied ports; the AppHost's fixed-port executables are given
/// free ports here), with a throwaway data folder and secrets that live in memory only.
/// </summary>
public sealed class PlatformApp : IAsyncDisposable
{
    private static readonly string[] Services = ["auditservice", "api", "dashboard"];

    private readonly ConcurrentQueue<string> _output = new();

    private PlatformApp(DistributedApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }
    public string DataDirectory { get; }

    /// <summary>The Aspire dashboard's address, when the test asked for it.</summary>
    public Uri? AspireDashboard => AppHost.Observability.AspireDashboard.Url(App.Services) is { } url ? new Uri(url) : null;

    public static async Task<PlatformApp> StartAsync(PlatformOptions? options = null, CancellationToken ct = default)
    {
        options ??= new PlatformOptions();
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"platform-test-{Guid.NewGuid():N}");
        string? dashboard = options.AspireDashboard ? $"http://localhost:{PostgresServer.FreePort()}" : null;
        List<string> args =
        [
            $"--AppHost:DataDirectory={data}",
            "--AppHost:EphemeralSecrets=true",
            $"--AppHost:TrafficGenerator={options.Traffic}",
            "--AppHost:TrafficInterval=00:00:01",
            $"--AppHost:AuditServiceReplicas={options.AuditServiceReplicas}",
            $"--Ports:postgres={PostgresServer.FreePort()}",
            $"--Ports:prometheus={PostgresServer.FreePort()}",
            $"--Ports:alertmanager={PostgresServer.FreePort()}",
            $"--Ports:postgres-exporter={PostgresServer.FreePort()}",
            .. options.Arguments,
        ];
        if (dashboard is not null)
        {
            args.AddRange(
            [
                $"--ASPNETCORE_URLS={dashboard}",
                $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:{PostgresServer.FreePort()}",
                $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{PostgresServer.FreePort()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            ]);
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. args],
            (app, _) => app.DisableDashboard = dashboard is null, ct);
        foreach (var (resource, key, value) in options.Environment)
        {
            builder.CreateResourceBuilder<ProjectResource>(resource).WithEnvironment(key, value);
        }

        var started = new PlatformApp(await builder.BuildAsync(ct), data);
        try
        {
            started.CollectOutput();
            await started.App.StartAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            foreach (var service in options.WaitUntilHealthy ? Services : [])
            {
                await started.App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>A resource's http endpoint (the proxy, for a project with replicas).</summary>
    public Uri Url(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>Every resource's log lines so far (the AppHost's console view of each), for whoever reads a failed run.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>A secret parameter's value (an API key, the signing key, a database password), resolved when the app started.</summary>
    public string Secret(string parameter) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == parameter).GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() ?? "";

    /// <summary>A seeded user's generated password.</summary>
    public string Password(string email) => Secret(AppHost.Seeding.SeedExtensions.PasswordParameterName(email));

    /// <summary>An HTTP client for the Api, signed in as a seeded user with their generated password.</summary>
    public Task<HttpClient> SignedInAsync(string email) =>
        new HttpClient { BaseAddress = Url("api"), Timeout = TimeSpan.FromSeconds(60) }.SignedInAsync(email, Password(email));

    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>Every resource's log lines, each instance watched by its id (a project's id carries a suffix, one per replica).</summary>
    private void CollectOutput()
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        var stopping = App.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        var watched = new ConcurrentDictionary<string, bool>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in notifications.WatchAsync(stopping))
                {
                    if (watched.TryAdd(update.ResourceId, true))
                    {
                        _ = Task.Run(() => WatchLogsAsync(logs, update.ResourceId, stopping), CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The app stopped.
            }
        }, CancellationToken.None);
    }

    private async Task WatchLogsAsync(ResourceLoggerService logs, string resourceId, CancellationToken stopping)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stopping))
            {
                foreach (var line in batch)
                {
                    _output.Enqueue($"{resourceId}: {line.Content}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The app stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        // What every resource printed, for whoever reads a failed run.
        Directory.CreateDirectory(Artifacts.Directory);
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Directory, $"{Path.GetFileName(DataDirectory)}.log"), Output);
        try
        {
            // A cluster kept outside the data folder (the postgres user could not enter it) goes too.
            if (new DirectoryInfo(Path.Combine(DataDirectory, "postgres")).LinkTarget is { } outside)
            {
                Directory.Delete(outside, recursive: true);
            }

            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder.
        }
    }
}
