namespace AuditService.ApiKeys;

// Registered after the migrator, so the api_keys table exists when it runs.
internal sealed class SeedKeysHostedService(ApiKeyStore store, IOptions<SeedKeysOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var seed in options.Value.Seed)
        {
            await store.SeedAsync(seed.Name, seed.Key, seed.Scope, seed.TenantId, seed.Permissions is { Length: > 0 } p ? p : [ApiKeyPermissions.Write], cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
