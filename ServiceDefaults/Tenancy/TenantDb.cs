using Npgsql;

namespace Tenancy;

/// <summary>
/// A service's way into its own database: units of work on pooled connections under one <see cref="TenantScope"/>,
/// which row-level security reads through the database's scope procedure. Each service names its database with a
/// subclass (the Api's <c>AppDb</c>, AuditService's <c>AuditDb</c>), so the container hands each service its own.
/// </summary>
public abstract class TenantDb(NpgsqlDataSource dataSource, string scopeProcedure)
{
    /// <summary>The database's scope procedure, taking (all tenants, tenant ids as CSV).</summary>
    protected string ScopeProcedure => scopeProcedure;

    protected NpgsqlDataSource DataSource => dataSource;

    /// <summary>A unit of work on a pooled connection, returned to the pool when it is disposed.</summary>
    public async Task<DbScope> OpenAsync(TenantScope scope, CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct), scope, scopeProcedure);
}
