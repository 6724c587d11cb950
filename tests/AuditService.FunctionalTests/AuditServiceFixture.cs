using AuditService.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace AuditService.FunctionalTests;

/// <summary>AuditService in memory, over a real PostgreSQL database of its own.</summary>
public sealed class AuditServiceFixture(PostgresServer postgres) : InMemoryAuditService<Program>, IAsyncLifetime
{
    public static readonly string PlatformWriteKey = ApiKeyFormat.New();
    public static readonly string PlatformReadKey = ApiKeyFormat.New();
    public static readonly string AdminKey = ApiKeyFormat.New();

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>A client writing with <see cref="PlatformWriteKey"/>, shared by the fixture's tests (the factory disposes it).</summary>
    public HttpClient Writer => _writer ??= WithKey(PlatformWriteKey);
    private HttpClient? _writer;

    protected override AuditServiceHost Host => new(Database,
        SeededKey.Writer(PlatformWriteKey), SeededKey.Reader(PlatformReadKey), SeededKey.Admin(AdminKey));

    public async ValueTask InitializeAsync()
    {
        Database = await postgres.CreateDatabaseAsync("audit");
        _ = Server; // start now, so migrations run before the first test
    }

    /// <summary>Asserts that the tenant's chain verifies intact, over <paramref name="events"/> events when given.</summary>
    public async Task AssertChainIntactAsync(Guid tenant, long? events = null)
    {
        var verdict = await Services.GetRequiredService<ChainVerifier>().VerifyAsync(tenant, Ct);
        Assert.True(verdict.Intact, verdict.Problem);
        if (events is { } expected)
        {
            Assert.Equal(expected, verdict.EventsChecked);
        }
    }

    /// <summary>A tenant-scoped key made through the admin API, as an operator would.</summary>
    public async Task<(Guid Id, string Secret)> CreateTenantKeyAsync(Guid tenantId, params string[] permissions)
    {
        using var admin = WithKey(AdminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/admin/api-keys",
            new { name = $"tenant-{tenantId:N}", scope = "tenant", tenantId, permissions = permissions.Length > 0 ? permissions : [ApiKeyPermissions.Write] });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (created.GetProperty("key").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    public static AuditEventDto NewEvent(Guid tenantId, string action = "lead.created") => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = new ActorDto { Type = "human", Id = "user-1", Name = "Ada", Email = "ada@example.com" },
        Action = action,
        Category = "audit",
        Severity = "info",
        Resource = new ResourceDto { Type = "lead", Id = "42", Name = "Big deal" },
        Description = "Lead created",
        After = System.Text.Json.JsonSerializer.SerializeToElement(new { name = "Big deal", value = 1.50, tags = new[] { "a", "b" } }),
        TraceId = "0af7651916cd43dd8448eb211c80319c",
        SpanId = "b7ad6b7169203331",
        IpAddress = "203.0.113.7",
        UserAgent = "tests",
        SourceService = "tests",
    };
}
