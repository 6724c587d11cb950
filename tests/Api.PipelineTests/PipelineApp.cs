using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testing;

namespace Api.PipelineTests;

/// <summary>
/// The Api in memory over a real PostgreSQL database, sending audit entries to the real AuditService process,
/// with fast pipeline settings. Seeds two tenants (acme, globex; pro plan), their admins and members, and a super admin.
/// </summary>
public class PipelineApp(PipelineAuditService audit) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct-horse-battery-staple";

    public TestDatabase Database { get; private set; } = null!;
    public PipelineAuditService Audit => audit;
    public OpenAiTestDouble? Llm { get; private set; }

    /// <summary>Where this Api's mail sink writes its .eml files (a folder of this run's own).</summary>
    public string MailSink { get; } = Path.Combine(Path.GetTempPath(), $"pipeline-tests-mail-{Guid.NewGuid():N}");

    /// <summary>Settings a test class changes (Llm:*, Plans:*, Pipeline:*).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>True to call the OpenAI-compatible test double instead of the simulated provider.</summary>
    protected virtual bool UseProviderTestDouble => false;

    public async ValueTask InitializeAsync()
    {
        Database = await audit.Postgres.CreateDatabaseAsync("app");
        if (UseProviderTestDouble)
        {
            Llm = await OpenAiTestDouble.StartAsync();
        }

        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseApiDatabaseAndAudit(Database, audit.Url.ToString(), PipelineAuditService.WriteKey, "pipeline-tests-webhook-secret-0123456789");
        builder.UseSetting("Pipeline:PollInterval", "00:00:00.050");
        builder.UseSetting("Pipeline:BaseBackoff", "00:00:00.200");
        builder.UseSetting("Pipeline:MaxAttempts", "3");
        builder.UseSetting("Pipeline:Lease", "00:00:30");
        builder.UseSetting("Pipeline:StatsInterval", "00:00:00.200");
        builder.UseSetting("Llm:SimulatedMaxLatency", "00:00:00.020");
        builder.UseSetting("Mail:SinkDirectory", MailSink);
        builder.UseSetting("Mail:PollInterval", "00:00:00.050");
        builder.UseSetting("Mail:BaseBackoff", "00:00:00.200");
        builder.UseSetting("Mail:MaxBackoff", "00:00:01");
        if (Llm is not null)
        {
            builder.UseSetting("Llm:Provider", "testdouble");
            builder.UseSetting("Llm:Endpoint", Llm.Endpoint.ToString());
            builder.UseSetting("Llm:ApiKey", "sk-test-double");
            builder.UseSetting("Llm:Model", "td-model");
            builder.UseSetting("Llm:Prices:testdouble:td-model:Input", "1.00");
            builder.UseSetting("Llm:Prices:testdouble:td-model:Output", "10.00");
            builder.UseSetting("Llm:Prices:testdouble:td-model:CachedInput", "0.10");
        }

        builder.UseSeedUsers(
            Password,
            ("root@platform.test", "super_admin", null), ("admin@acme.test", "tenant_admin", "acme"), ("member@acme.test", "member", "acme"),
            ("admin@globex.test", "tenant_admin", "globex"), ("member@globex.test", "member", "globex"));

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public Task<HttpClient> SignedInAsync(string email) => CreateClient().SignedInAsync(email, Password);

    /// <summary>
    /// The app role in the platform scope for the whole session: the tests' own back door for arranging and
    /// checking rows of any tenant (the Api itself sets its scope per transaction, see Api/Data/AppDb).
    /// </summary>
    private string PlatformScope => $"{Database.App};Options=-c app.all_tenants=on";

    public Task<Guid> TenantIdAsync(string slug) => ScalarAsync<Guid>("SELECT id FROM tenants WHERE slug = @slug", ("slug", slug));

    public Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => Sql.ExecuteAsync(PlatformScope, sql, parameters);

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => Sql.ScalarAsync<T>(PlatformScope, sql, parameters);

    /// <summary>Polls the activity's detail until it reaches <paramref name="status"/>.</summary>
    public static async Task<ActivityDetail> WaitForStatusAsync(HttpClient client, Guid id, string status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        ActivityDetail? detail = null;
        while (DateTime.UtcNow < deadline)
        {
            detail = await client.GetFromJsonAsync<ActivityDetail>($"/api/activities/{id}", Json);
            if (detail!.Activity.Status == status)
            {
                return detail;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Activity {id} is '{detail?.Activity.Status}' (last error: {detail?.Activity.LastError}), not '{status}'.");
    }

    public static async Task<PipelineActivity> CreateActivityAsync(HttpClient client, string kind = "research_topics", string input = "Pricing pages that convert", string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/activities") { Content = JsonContent.Create(new { kind, input }) };
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PipelineActivity>(Json))!;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (Directory.Exists(MailSink))
        {
            Directory.Delete(MailSink, recursive: true);
        }

        if (Llm is not null)
        {
            await Llm.DisposeAsync();
        }
    }
}

public sealed class SimulatedApp(PipelineAuditService audit) : PipelineApp(audit);
