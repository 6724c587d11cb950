using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Api.Identity;

// Runs after migrations: loads (or creates) the signing key and creates the seeded users once.
internal sealed partial class IdentityStartup(
    SigningKeys keys, UserStore users, Tenants.TenantStore tenants, IPasswordHasher<User> hasher,
    IOptions<SeedOptions> seed, ILogger<IdentityStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        foreach (var s in seed.Value.Users.Where(u => u.Email.Length > 0 && u.Password.Length > 0))
        {
            Guid? tenantId = s.Tenant is { Length: > 0 } slug
                ? (await tenants.FindBySlugAsync(slug, cancellationToken) ?? await tenants.CreateAsync(slug, slug, "pro", cancellationToken)).Id
                : null;
            var user = new User(Guid.CreateVersion7(), s.Email, s.DisplayName.Length > 0 ? s.DisplayName : s.Email, "", s.Role, tenantId, DateTimeOffset.UtcNow);
            if (await users.TryCreateAsync(user with { PasswordHash = hasher.HashPassword(user, s.Password) }, cancellationToken))
            {
                LogSeeded(logger, s.Email, s.Role);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded user {Email} ({Role})")]
    private static partial void LogSeeded(ILogger logger, string email, string role);
}
