using Api.Tenants;
using Microsoft.AspNetCore.Identity;

namespace Api.Identity;

// Runs after migrations: loads (or creates) the signing key and creates the seeded tenants and users once.
internal sealed partial class IdentityStartup(
    SigningKeys keys, AppDb appDb, UserStore users, TenantStore tenants, SupportAssignments support, IPasswordHasher<User> hasher,
    IOptions<SeedOptions> seed, ILogger<IdentityStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        // Platform scope: seeding creates tenants, staff without a tenant and their assignments across tenants.
        await using var db = await appDb.OpenAsync(TenantScope.Platform, cancellationToken);
        foreach (var t in seed.Value.Tenants.Where(t => t.Slug.Length > 0))
        {
            await tenants.CreateAsync(db, t.Name.Length > 0 ? t.Name : t.Slug, t.Slug, Plans.All.Contains(t.Plan) ? t.Plan : "free", cancellationToken);
        }

        foreach (var s in seed.Value.Users.Where(u => u.Email.Length > 0 && u.Password.Length > 0))
        {
            Guid? tenantId = s.Tenant is { Length: > 0 } slug
                ? (await tenants.CreateAsync(db, slug, slug, "pro", cancellationToken)).Id
                : null;
            var user = new User(Guid.CreateVersion7(), s.Email, s.DisplayName.Length > 0 ? s.DisplayName : s.Email, "", s.Role, tenantId, DateTimeOffset.UtcNow);
            if (await users.TryCreateAsync(db, user with { PasswordHash = hasher.HashPassword(user, s.Password) }, cancellationToken))
            {
                LogSeeded(logger, s.Email, s.Role);
                foreach (var assigned in s.SupportTenants)
                {
                    await support.AssignAsync(db, user.Id, (await tenants.CreateAsync(db, assigned, assigned, "pro", cancellationToken)).Id, cancellationToken);
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded user {Email} ({Role})")]
    private static partial void LogSeeded(ILogger logger, string email, string role);
}
