using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testing;

namespace AuditQueryBench;

/// <summary>AuditService on real Kestrel (loopback), over the benchmark's database.</summary>
public sealed class BenchService(TestDatabase database) : WebApplicationFactory<Program>
{
    public const string ReadKey = "audk_0b0b0b0b0b0b_benchmark-read-key-000000000000000000000";

    public HttpClient Client { get; private set; } = null!;

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        Client = CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:auditdb", Bench.Prepared(database.App));
        builder.UseSetting("ConnectionStrings:auditdb-owner", database.Owner);
        builder.UseSetting("Integrity:SigningKey", "benchmark-signing-key-0123456789abcdef");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("ApiKeys:Seed:0:Name", "bench");
        builder.UseSetting("ApiKeys:Seed:0:Key", ReadKey);
        builder.UseSetting("ApiKeys:Seed:0:Scope", "platform");
        builder.UseSetting("ApiKeys:Seed:0:Permissions:0", "events:read");
    }
}
