using System.Net.Http.Headers;

namespace AuditService.QueryTests;

/// <summary>AuditService in memory over a real PostgreSQL database, trusting a real JWKS endpoint.</summary>
public sealed class ReadSideFixture(PostgresServer postgres) : InMemoryAuditService<Program>, IAsyncLifetime
{
    public static readonly string WriteKey = ApiKeyFormat.New();
    public static readonly string ReadKey = ApiKeyFormat.New();

    public TestDatabase Database { get; private set; } = null!;
    public TokenIssuer Tokens { get; private set; } = null!;

    public const string SigningKey = "query-tests-signing-key-0123456789abcdef";

    protected override AuditServiceHost Host => new(Database, SeededKey.Writer(WriteKey), SeededKey.Reader(ReadKey))
    {
        SigningKey = SigningKey,
        Settings = new Dictionary<string, string>
        {
            ["Tokens:JwksUrl"] = Tokens.JwksUrl,
            ["TraceViewer:GrafanaUrl"] = "http://grafana.test:3000",
            // Retention runs when a test says so: the scheduled run after start-up would race the retention tests' own runs.
            ["Retention:FirstRunDelay"] = "01:00:00",
        },
    };

    public async ValueTask InitializeAsync()
    {
        Database = await postgres.CreateDatabaseAsync("query");
        Tokens = await TokenIssuer.StartAsync();
        _ = Server;
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client of the tenant's admin ("boss"), with a token the Api would issue.</summary>
    public HttpClient AsTenantAdmin(Guid tenant) => WithToken(Tokens.Issue("boss", "tenant_admin", tenant));

    public async Task WriteAsync(params AuditEventDto[] events)
    {
        using var writer = WithKey(WriteKey);
        for (var i = 0; i < events.Length; i += 5000)
        {
            var response = await writer.PostAsJsonAsync("/api/v1/events", events.Skip(i).Take(5000).ToArray());
            response.EnsureSuccessStatusCode();
        }
    }

    public static AuditEventDto Event(Guid tenant, string actor, string action = "lead.created", DateTimeOffset? at = null,
        string severity = "info", string category = "audit", string? traceId = "0af7651916cd43dd8448eb211c80319c") => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        OccurredAt = at ?? DateTimeOffset.UtcNow,
        Actor = new ActorDto { Type = "human", Id = actor, Name = actor },
        Action = action,
        Category = category,
        Severity = severity,
        Resource = new ResourceDto { Type = "lead", Id = $"lead-{tenant:N}", Name = "Big deal" },
        Description = $"{action} by {actor}",
        Before = System.Text.Json.JsonSerializer.SerializeToElement(new { stage = "new", value = 1 }),
        After = System.Text.Json.JsonSerializer.SerializeToElement(new { stage = "won", value = 1, owner = actor }),
        TraceId = traceId,
        SpanId = traceId is null ? null : "b7ad6b7169203331",
        SourceService = "tests",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
