using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using Audit.Contracts;
using Testing;

namespace Api.PipelineTests;

/// <summary>
/// The real AuditService, run from its build output as its own process on a free port over its own
/// database, so the Api's audit entries travel the same way they do in production. It owns the assembly's
/// throwaway PostgreSQL cluster too (assembly fixtures cannot depend on one another).
/// </summary>
public sealed class AuditServiceProcess : IAsyncLifetime
{
    private readonly PostgresServer postgres = new();

    public const string WriteKey = "audk_0a0a0a0a0a0a_pipeline-tests-write-key-000000000000000";
    public const string ReadKey = "audk_0b0b0b0b0b0b_pipeline-tests-read-key-0000000000000000";

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    public PostgresServer Postgres => postgres;

    public async ValueTask InitializeAsync()
    {
        await postgres.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync("audit");
        Url = new Uri($"http://127.0.0.1:{PostgresServer.FreePort()}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AuditServiceAssembly());
        info.Environment["ASPNETCORE_URLS"] = Url.ToString();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["OTEL_SERVICE_NAME"] = "auditservice";
        info.Environment["ConnectionStrings__auditdb"] = database.App;
        info.Environment["ConnectionStrings__auditdb-owner"] = database.Owner;
        info.Environment["Integrity__SigningKey"] = "pipeline-tests-signing-key-0123456789";
        Seed(info, 0, "api", WriteKey, "events:write");
        Seed(info, 1, "tests", ReadKey, "events:read");
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"AuditService exited with {_process.ExitCode}:\n{string.Join('\n', _output)}");
            }

            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"AuditService did not become healthy:\n{string.Join('\n', _output)}");
    }

    /// <summary>The tenant's stored events, newest first, once <paramref name="until"/> holds (the client sends in batches).</summary>
    public async Task<IReadOnlyList<StoredAuditEvent>> EventsAsync(Guid tenantId, Func<IReadOnlyList<StoredAuditEvent>, bool> until)
    {
        using var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        IReadOnlyList<StoredAuditEvent> items = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            items = (await http.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?tenantId={tenantId}&limit=200"))!.Items;
            if (until(items))
            {
                return items;
            }

            await Task.Delay(250);
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        await postgres.DisposeAsync();
    }

    private static void Seed(ProcessStartInfo info, int i, string name, string key, string permission)
    {
        info.Environment[$"ApiKeys__Seed__{i}__Name"] = name;
        info.Environment[$"ApiKeys__Seed__{i}__Key"] = key;
        info.Environment[$"ApiKeys__Seed__{i}__Scope"] = "platform";
        info.Environment[$"ApiKeys__Seed__{i}__Permissions__0"] = permission;
    }

    private static string AuditServiceAssembly()
    {
        var configuration = typeof(AuditServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "AuditService", "bin", configuration, "net10.0", "AuditService.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("AuditService.dll not found: build the solution first.");
    }
}
