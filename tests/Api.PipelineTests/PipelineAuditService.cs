using Audit.Contracts;
using Testing;

namespace Api.PipelineTests;

/// <summary>
/// The real AuditService, run from its build output as its own process on a free port over its own
/// database, so the Api's audit entries travel the same way they do in production. It owns the assembly's
/// throwaway PostgreSQL cluster too (assembly fixtures cannot depend on one another).
/// </summary>
public sealed class PipelineAuditService : IAsyncLifetime
{
    public static readonly string WriteKey = ApiKeyFormat.New();
    public static readonly string ReadKey = ApiKeyFormat.New();

    private ServiceProcess? _service;

    public Uri Url => Service.Url;

    public PostgresServer Postgres { get; } = new();

    private ServiceProcess Service => _service ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var database = await Postgres.CreateDatabaseAsync("audit");
        _service = new AuditServiceHost(database, SeededKey.Writer(WriteKey), SeededKey.Reader(ReadKey))
        {
            Settings = new Dictionary<string, string> { ["OTEL_SERVICE_NAME"] = "auditservice" },
        }.Process();
        await _service.StartAsync();
    }

    /// <summary>The tenant's stored events, newest first, once <paramref name="until"/> holds (the client sends in batches).</summary>
    public async Task<IReadOnlyList<StoredAuditEvent>> EventsAsync(Guid tenantId, Func<IReadOnlyList<StoredAuditEvent>, bool> until)
    {
        using var http = new HttpClient { BaseAddress = Url, DefaultRequestHeaders = { { "X-Api-Key", ReadKey } } };
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
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }
}
