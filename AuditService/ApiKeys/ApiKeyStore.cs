using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace AuditService.ApiKeys;

/// <summary>
/// Keys in PostgreSQL, looked up by prefix, with a short cache so that ingest does not query per request. While the
/// database is unreachable a key seen before is judged by what was last read of it (nothing it unlocks works without
/// the database anyway, but an operator can still read /health's details); an unknown one meets the outage (503).
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (ApiKey Key, byte[] Hash)?> _lastRead = new();

    public async Task<ApiKey?> AuthenticateAsync(string key, CancellationToken ct)
    {
        if (!ApiKeyFormat.TryParsePrefix(key, out var prefix))
        {
            return null;
        }

        var cacheKey = $"apikey:{prefix}";
        if (!cache.TryGetValue(cacheKey, out (ApiKey Key, byte[] Hash)? entry))
        {
            try
            {
                entry = await FindAsync(prefix, ct);
                cache.Set(cacheKey, entry, CacheFor);
                _lastRead[prefix] = entry;
            }
            catch (NpgsqlException) when (_lastRead.TryGetValue(prefix, out var lastRead))
            {
                entry = lastRead;
            }
        }

        return entry is { Key.RevokedAt: null } && ApiKeySecret.Matches(key, entry.Value.Hash) ? entry.Value.Key : null;
    }

    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, string scope, Guid? tenantId, string[] permissions, CancellationToken ct)
    {
        var secret = ApiKeyFormat.New();
        ApiKeyFormat.TryParsePrefix(secret, out var prefix);
        var key = await InsertAsync(name, prefix, ApiKeySecret.Hash(secret), scope, tenantId, permissions, ct);
        return (key, secret);
    }

    /// <summary>Stores a key whose secret the operator chose (the AppHost's generated keys); idempotent.</summary>
    public async Task SeedAsync(string name, string secret, string scope, Guid? tenantId, string[] permissions, CancellationToken ct)
    {
        if (!ApiKeyFormat.TryParsePrefix(secret, out var prefix))
        {
            throw new InvalidOperationException($"Seed key '{name}' is not of the form audk_<12 hex>_<secret>.");
        }

        await InsertAsync(name, prefix, ApiKeySecret.Hash(secret), scope, tenantId, permissions, ct, ignoreExisting: true);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, prefix, scope, tenant_id, permissions, created_at, revoked_at FROM api_keys ORDER BY created_at");
        return await command.ReadListAsync(Read, ct);
    }

    public async Task<ApiKey?> RevokeAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = @id
            RETURNING id, name, prefix, scope, tenant_id, permissions, created_at, revoked_at
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var key = Read(reader);
        cache.Remove($"apikey:{key.Prefix}");
        _lastRead.TryRemove(key.Prefix, out _);
        return key;
    }

    private async Task<ApiKey> InsertAsync(string name, string prefix, byte[] hash, string scope, Guid? tenantId, string[] permissions,
        CancellationToken ct, bool ignoreExisting = false)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO api_keys (id, name, prefix, secret_hash, scope, tenant_id, permissions)
            VALUES (@id, @name, @prefix, @hash, @scope, @tenant, @permissions)
            {(ignoreExisting ? "ON CONFLICT (prefix) DO UPDATE SET name = excluded.name" : "")}
            RETURNING id, name, prefix, scope, tenant_id, permissions, created_at, revoked_at
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("prefix", prefix);
        command.Parameters.AddWithValue("hash", hash);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("tenant", (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("permissions", permissions);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Read(reader);
    }

    private async Task<(ApiKey Key, byte[] Hash)?> FindAsync(string prefix, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, prefix, scope, tenant_id, permissions, created_at, revoked_at, secret_hash FROM api_keys WHERE prefix = @prefix");
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (Read(reader), (byte[])reader[8]) : null;
    }

    private static ApiKey Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetGuid(4), r.GetFieldValue<string[]>(5),
        r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7));
}
