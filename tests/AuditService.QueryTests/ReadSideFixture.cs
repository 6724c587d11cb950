using System.Net.Http.Headers;
using System.Net.Http.Json;
using Audit.Contracts;
using AuditService.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testing;

namespace AuditService.QueryTests;

/// <summary>AuditService in memory over a real PostgreSQL database, trusting a real JWKS endpoint.</summary>
public sealed class ReadSideFixture(PostgresServer postgres) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string WriteKey = "audk_0123456789ab_platform-write-key-for-query-tests-00000";
    public const string ReadKey = "audk_abcdef012345_platform-read-key-for-query-tests-000000";
    public const string SigningKey = "query-tests-signing-key-0123456789abcdef";

    public TestDatabase Database { get; private set; } = null!;
    public TokenIssuer Tokens { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await postgres.CreateDatabaseAsync("query");
        Tokens = await TokenIssuer.StartAsync();
        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in AuditServiceSettings.For(Database, SigningKey,
            new AuditServiceSettings.SeededKey("writer", WriteKey, ApiKeyPermissions.Write), new AuditServiceSettings.SeededKey("reader", ReadKey, ApiKeyPermissions.Read)))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Tokens:JwksUrl", Tokens.JwksUrl);
        builder.UseSetting("TraceViewer:GrafanaUrl", "http://grafana.test:3000");
        // Retention runs when a test says so: the scheduled run after start-up would race the retention tests' own runs.
        builder.UseSetting("Retention:FirstRunDelay", "01:00:00");
    }

    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

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
