using Api.Identity;
using Audit.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Testing;

namespace Api.FunctionalTests;

/// <summary>
/// The Api in memory over a real PostgreSQL database, sending its audit events to a real AuditService
/// (over its own database), with seeded users in two tenants and every log line and span captured. One for the whole
/// assembly (AssemblyInfo.cs), which runs its test classes one at a time; it owns its PostgreSQL cluster, so the cluster
/// stops after the Api and the AuditService that use it.
/// </summary>
public sealed class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    public const string SuperAdmin = "root@platform.test";
    public const string AcmeAdmin = "admin@acme.test";
    public const string AcmeMember = "member@acme.test";
    public const string GlobexAdmin = "admin@globex.test";
    public const string GlobexMember = "member@globex.test";
    public const string Support = "support@platform.test";
    public const string AlertWebhookSecret = "api-tests-alert-webhook-secret-0123456789";

    private readonly PostgresServer _postgres = new();
    private TestDatabase _database = null!;

    public RealAuditService Audit { get; private set; } = null!;

    /// <summary>The Api's database (app, owner and admin connection strings).</summary>
    public TestDatabase Database => _database;
    public CapturedTelemetry Telemetry { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _database = await _postgres.CreateDatabaseAsync("api");
        Audit = new RealAuditService(await _postgres.CreateDatabaseAsync("audit"));
        _ = Audit.Server;
        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseApiDatabaseAndAudit(_database, "http://auditservice.test", RealAuditService.WriteKey, AlertWebhookSecret);
        builder.UseSetting("RateLimits:Auth:PermitLimit", "10000");
        builder.UseSeedTenants(("acme", "Acme", "pro"), ("globex", "Globex", "team"));
        builder.UseSeedUsers(
            Password,
            (SuperAdmin, Roles.SuperAdmin, null), (AcmeAdmin, Roles.TenantAdmin, "acme"), (AcmeMember, Roles.Member, "acme"),
            (GlobexAdmin, Roles.TenantAdmin, "globex"), (GlobexMember, Roles.Member, "globex"), (Support, Roles.Support, null));
        builder.UseSetting("Seed:Users:5:SupportTenants:0", "acme");
        builder.ConfigureLogging(logging => logging.AddProvider(Telemetry).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddressFilter>();
            services.AddHttpClient(AuditSenderClientName).ConfigurePrimaryHttpMessageHandler(() => Audit.Server.CreateHandler());
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Telemetry.Spans));
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(Telemetry.Exported));
        });
    }

    public static readonly System.Net.IPAddress ClientAddress = System.Net.IPAddress.Parse("203.0.113.9");

    // The in-memory server has no peer address; a real one would.
    private sealed class ClientAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.Connection.RemoteIpAddress ??= ClientAddress;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    // The audit client's named HttpClient (AuditSender.HttpClientName, internal to the library).
    private const string AuditSenderClientName = "audit-client";

    public async Task<TokenResponse> SignInAsync(string email, string password = Password)
    {
        using var client = CreateClient();
        return await client.SignInAsync(email, password);
    }

    public async Task<HttpClient> ClientForAsync(string email) => ClientWithToken((await SignInAsync(email)).AccessToken);

    public HttpClient ClientWithToken(string accessToken) => CreateClient().WithBearer(accessToken);

    public static JsonWebToken Decode(string accessToken) => new(accessToken);

    /// <summary>Waits until AuditService has stored an event matching the condition, and answers it.</summary>
    public async Task<StoredAuditEvent> AuditEventAsync(Guid tenantId, Func<StoredAuditEvent, bool> match)
    {
        using var reader = Audit.WithKey(RealAuditService.ReadKey);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await reader.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?tenantId={tenantId}&limit=200", JsonOptions);
            if (page!.Items.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No matching audit event for tenant {tenantId}; saw: {string.Join(", ", page.Items.Select(e => e.Action))}");
            await Task.Delay(100);
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<Guid> TenantIdAsync(string slug) =>
        (await ReadAsAsync<List<TenantSummary>>(SuperAdmin, "/api/tenants")).Single(t => t.Slug == slug).Id;

    /// <summary>What <paramref name="email"/>, signed in, reads at <paramref name="path"/>.</summary>
    public async Task<T> ReadAsAsync<T>(string email, string path)
    {
        using var client = await ClientForAsync(email);
        return (await client.GetFromJsonAsync<T>(path, Ct))!;
    }

    /// <summary>The status the Api answers <paramref name="email"/>, signed in, for one request (with a JSON body when given).</summary>
    public async Task<HttpStatusCode> StatusForAsync(string email, HttpMethod method, string path, object? body = null)
    {
        using var client = await ClientForAsync(email);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>A fresh tenant (via sign-up) for tests that change things; answers its admin's session.</summary>
    public async Task<TokenResponse> SignUpAsync(string name)
    {
        using var client = CreateClient();
        return await client.SignUpAsync(new SignUpRequest($"owner@{name}.test", Password, $"{name} owner", name));
    }

    /// <summary>Signs up a new tenant named <paramref name="name"/>; answers its owner, signed in.</summary>
    public async Task<TenantAdmin> SignUpTenantAsync(string name) => AdminOf(await SignUpAsync(name));

    /// <summary>Signs a tenant admin in (a seeded one by <paramref name="email"/>); the tenant's id is the session's.</summary>
    public async Task<TenantAdmin> TenantAdminAsync(string email) => AdminOf(await SignInAsync(email));

    private TenantAdmin AdminOf(TokenResponse session) => new(session, session.User.TenantId!.Value, ClientWithToken(session.AccessToken));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Audit.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
