using Microsoft.AspNetCore.Hosting;

namespace Testing;

/// <summary>The settings every in-memory Api under test is given: its database, where its audit events go, its seeded tenants and users.</summary>
public static class ApiTestSettings
{
    public static IWebHostBuilder UseApiDatabaseAndAudit(
        this IWebHostBuilder builder, TestDatabase database, string auditEndpoint, string auditApiKey, string alertWebhookSecret) =>
        builder.UseEnvironment("Testing")
            .UseSetting("ConnectionStrings:appdb", database.App)
            .UseSetting("ConnectionStrings:appdb-owner", database.Owner)
            .UseSetting("AuditClient:Endpoint", auditEndpoint)
            .UseSetting("AuditClient:ApiKey", auditApiKey)
            .UseSetting("AlertWebhook:Secret", alertWebhookSecret);

    /// <summary>Seeds these tenants, by slug; seeded users name them by their slug.</summary>
    public static IWebHostBuilder UseSeedTenants(this IWebHostBuilder builder, params (string Slug, string Name, string Plan)[] tenants)
    {
        for (var i = 0; i < tenants.Length; i++)
        {
            builder.UseSetting($"Seed:Tenants:{i}:Slug", tenants[i].Slug);
            builder.UseSetting($"Seed:Tenants:{i}:Name", tenants[i].Name);
            builder.UseSetting($"Seed:Tenants:{i}:Plan", tenants[i].Plan);
        }

        return builder;
    }

    /// <summary>Seeds these users, all with one password; a user without a tenant is a platform user.</summary>
    public static IWebHostBuilder UseSeedUsers(this IWebHostBuilder builder, string password, params (string Email, string Role, string? Tenant)[] users)
    {
        for (var i = 0; i < users.Length; i++)
        {
            builder.UseSetting($"Seed:Users:{i}:Email", users[i].Email);
            builder.UseSetting($"Seed:Users:{i}:Password", password);
            builder.UseSetting($"Seed:Users:{i}:Role", users[i].Role);
            if (users[i].Tenant is { } tenant)
            {
                builder.UseSetting($"Seed:Users:{i}:Tenant", tenant);
            }
        }

        return builder;
    }
}
