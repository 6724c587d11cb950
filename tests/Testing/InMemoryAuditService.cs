using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Testing;

/// <summary>
/// AuditService in memory over a real database, configured by an <see cref="AuditServiceHost"/>. Generic over the
/// entry point because a test assembly that also hosts the Api sees two <c>Program</c> classes. A new one over the same
/// database is a restart.
/// </summary>
public class InMemoryAuditService<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly AuditServiceHost? _host;
    private readonly string _environment;

    public InMemoryAuditService(AuditServiceHost host, string environment = "Testing")
    {
        _host = host;
        _environment = environment;
    }

    /// <summary>For a fixture that creates its database before the server starts and overrides <see cref="Host"/>.</summary>
    protected InMemoryAuditService() => _environment = "Testing";

    /// <summary>The configuration, asked for when the server starts.</summary>
    protected virtual AuditServiceHost Host => _host ?? throw new InvalidOperationException("No host configuration.");

    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in Host.Configuration())
        {
            builder.UseSetting(key, value);
        }
    }
}
