using Api.Data;

namespace Api.FunctionalTests;

/// <summary>The three scopes the row-level-security tests open, named as they read there; each is AppDb.OpenAsync with a TenantScope.</summary>
internal static class TenantScopes
{
    public static Task<DbScope> OpenPlatformAsync(this AppDb db, CancellationToken ct) => db.OpenAsync(TenantScope.Platform, ct);

    public static Task<DbScope> OpenTenantAsync(this AppDb db, Guid tenant, CancellationToken ct) => db.OpenAsync(TenantScope.Of(tenant), ct);

    public static Task<DbScope> OpenTenantsAsync(this AppDb db, IReadOnlyCollection<Guid> tenants, CancellationToken ct) => db.OpenAsync(TenantScope.Of(tenants), ct);
}
