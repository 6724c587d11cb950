extern alias auditservice;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testing;

namespace Api.FunctionalTests;

/// <summary>The real AuditService, in memory over its own PostgreSQL database, receiving the Api's audit events.</summary>
public sealed class RealAuditService(TestDatabase database) : WebApplicationFactory<auditservice::Program>
{
    public const string WriteKey = "audk_0123456789ab_api-write-key-for-api-tests-000000000000";
    public const string ReadKey = "audk_abcdef012345_api-read-key-for-api-tests-0000000000000";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:auditdb", database.App);
        builder.UseSetting("ConnectionStrings:auditdb-owner", database.Owner);
        builder.UseSetting("Integrity:SigningKey", "api-tests-signing-key-0123456789");
        Seed(builder, 0, "api", WriteKey, "events:write");
        Seed(builder, 1, "tests-reader", ReadKey, "events:read");
    }

    private static void Seed(IWebHostBuilder builder, int i, string name, string key, string permission)
    {
        builder.UseSetting($"ApiKeys:Seed:{i}:Name", name);
        builder.UseSetting($"ApiKeys:Seed:{i}:Key", key);
        builder.UseSetting($"ApiKeys:Seed:{i}:Scope", "platform");
        builder.UseSetting($"ApiKeys:Seed:{i}:Permissions:0", permission);
    }
}
