using Api.Usage;
using Npgsql;

namespace Api.Data;

/// <summary>
/// The only way into appdb: each unit of work is a transaction whose tenant scope row-level security
/// reads (Migrations/0005_row_level_security.sql). The scope is set with set_config(..., true) by the app_scope
/// procedure, so it ends with the transaction and never travels with a pooled connection.
/// </summary>
public sealed class AppDb(NpgsqlDataSource dataSource)
{
    /// <summary>Rows of one tenant only.</summary>
    public Task<DbScope> OpenTenantAsync(Guid tenantId, CancellationToken ct) => OpenAsync(false, [tenantId], ct);

    /// <summary>Rows of the given tenants only (support staff, tenant lists); an empty list sees nothing.</summary>
    public Task<DbScope> OpenTenantsAsync(IReadOnlyCollection<Guid> tenantIds, CancellationToken ct) => OpenAsync(false, tenantIds, ct);

    /// <summary>
    /// Every tenant's rows: for work that is not on behalf of one tenant (background workers across tenants,
    /// sign-in before any tenant is known, super admins). Each caller says why in a comment.
    /// </summary>
    public Task<DbScope> OpenPlatformAsync(CancellationToken ct) => OpenAsync(true, [], ct);

    /// <summary>
    /// The scope a row lives in: its tenant's, or the platform's for a row without one (super admins, support staff,
    /// platform-level feedback).
    /// </summary>
    public Task<DbScope> OpenOwnAsync(Guid? tenantId, CancellationToken ct) =>
        tenantId is { } tenant ? OpenTenantAsync(tenant, ct) : OpenPlatformAsync(ct);

    /// <summary>What the caller may read: the platform scope for super admins, their tenants otherwise.</summary>
    public Task<DbScope> OpenAsync(TenantReadScope access, CancellationToken ct) => OpenAsync(access.All, access.Tenants, ct);

    /// <summary>Null means every tenant (the convention of TenantAccess.VisibleTenants).</summary>
    public Task<DbScope> OpenVisibleAsync(IReadOnlyCollection<Guid>? visible, CancellationToken ct) =>
        visible is null ? OpenPlatformAsync(ct) : OpenTenantsAsync(visible, ct);

    private async Task<DbScope> OpenAsync(bool all, IReadOnlyCollection<Guid> tenants, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // Npgsql sends BEGIN with the first command, which also carries the scope (DbScope).
            var tx = await connection.BeginTransactionAsync(ct);
            return new DbScope(connection, tx, all, string.Join(',', tenants));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
